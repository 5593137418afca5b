package io.tcpgateway.ban;

import static io.tcpgateway.support.Bytes.ascii;
import static io.tcpgateway.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.tcpgateway.connection.CloseReason;
import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.listener.ListenerRegistrar;
import io.tcpgateway.support.AdminClient;
import io.tcpgateway.support.AdminClient.Response;
import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.TcpTestClient;
import io.tcpgateway.support.TestCertificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * CONTRACT sections 6 and 12 with real sockets from several loopback addresses (Linux answers on all
 * of 127.0.0.0/8, so each test's clients come from addresses of their own): flapping detection, bans
 * through the API (addresses and ranges, closeOpen, expiry, lifting), the goodbye in each framing, TLS
 * and PROXY listeners, the answers to bad calls, logs and meters.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.admin.password=test-secret",
        "gateway.flapping.enabled=true", "gateway.flapping.max-count=3", "gateway.flapping.ban-time=2s",
        "gateway.flapping.max-tracked=100",
        "gateway.listeners[0].name=chat", "gateway.listeners[0].port=0", "gateway.listeners[0].mode=echo",
        "gateway.listeners[1].name=binary", "gateway.listeners[1].port=0", "gateway.listeners[1].mode=echo",
        "gateway.listeners[1].framing=length-prefix",
        "gateway.listeners[2].name=proxied", "gateway.listeners[2].port=0", "gateway.listeners[2].mode=echo",
        "gateway.listeners[2].proxy-protocol=required",
        "gateway.listeners[3].name=tls", "gateway.listeners[3].port=0", "gateway.listeners[3].mode=echo",
        "gateway.listeners[3].ssl-bundle=bans-tls" })
@ExtendWith(OutputCaptureExtension.class)
class BansIT {

    static Path keystore;

    @Autowired
    ListenerRegistrar registrar;

    @Autowired
    PeerRegistry registry;

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int managementPort;

    final List<TcpTestClient> clients = new ArrayList<>();

    @DynamicPropertySource
    static void sslBundle(DynamicPropertyRegistry properties) throws Exception {
        keystore = TestCertificates.selfSignedKeystore();
        TestCertificates.registerKeystore(properties, "bans-tls", keystore);
    }

    @AfterEach
    void closeClients() {
        clients.forEach(TcpTestClient::close);
    }

    @Test
    void theConnectionOverMaxCountBansItsAddressUntilBanTimeAndItsOpenConnectionsAreKept(CapturedOutput output) {
        double refusedBefore = closed("chat", CloseReason.BANNED);
        List<TcpTestClient> allowed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            allowed.add(echoing("127.0.10.1", "chat"));
        }
        TcpTestClient fourth = from("127.0.10.1", "chat");
        assertThat(fourth.readLine()).isEqualTo("ERROR banned");
        fourth.awaitClosedByServer();
        TcpTestClient stillBanned = from("127.0.10.1", "chat");
        assertThat(stillBanned.readLine()).isEqualTo("ERROR banned");

        for (TcpTestClient open : allowed) {
            assertThat(echo(open, "still here")).as("open connections are kept").isTrue();
        }
        echoing("127.0.10.2", "chat"); // another address is unaffected
        JsonNode ban = banOf("127.0.10.1");
        assertThat(ban.at("/reason").asString()).isEqualTo("flapping");
        assertThat(Duration.between(Instant.now(), Instant.parse(ban.at("/until").asString())))
                .isBetween(Duration.ZERO, Duration.ofSeconds(2));
        assertThat(output.getOut()).containsOnlyOnce("Banned 127.0.10.1 until");
        assertThat(output.getOut()).as("refusals are counted, not logged").doesNotContain("remote=127.0.10.1:" + fourth.socket().getLocalPort());
        assertThat(closed("chat", CloseReason.BANNED) - refusedBefore).isEqualTo(2);
        assertThat(meters.get("gateway.bans.issued").tag("reason", "flapping").counter().count()).isGreaterThanOrEqualTo(1);

        await().atMost(Duration.ofSeconds(5)).until(() -> output.getOut().contains("Ban expired: 127.0.10.1 (flapping)"));
        assertThat(admin().get("/actuator/bans").json().at("/bans").findValuesAsString("address")).doesNotContain("127.0.10.1");
        allowed.forEach(TcpTestClient::close);
        for (int i = 0; i < 3; i++) {
            echoing("127.0.10.1", "chat"); // attempts refused while banned did not count; the count started afresh
        }
        assertThat(from("127.0.10.1", "chat").readLine()).isEqualTo("ERROR banned");
    }

    @Test
    void anOperatorBansARangeAndLiftsIt(CapturedOutput output) {
        TcpTestClient before = echoing("127.0.11.8", "chat");
        Response made = admin().post("/actuator/bans", "{\"address\":\"127.0.11.0/24\",\"duration\":\"PT10M\"}");
        assertThat(made.status()).isEqualTo(201);
        assertThat(made.json().at("/address").asString()).isEqualTo("127.0.11.0/24");
        assertThat(made.json().at("/reason").asString()).isEqualTo("admin");
        assertThat(Duration.between(Instant.now(), Instant.parse(made.json().at("/until").asString())))
                .isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10));
        assertThat(banOf("127.0.11.0/24").at("/reason").asString()).isEqualTo("admin");

        assertThat(from("127.0.11.9", "chat").readLine()).isEqualTo("ERROR banned");
        assertThat(from("127.0.11.200", "chat").readLine()).isEqualTo("ERROR banned");
        echoing("127.0.12.1", "chat"); // outside the range
        assertThat(echo(before, "kept")).as("open ones are kept without closeOpen").isTrue();
        assertThat(output.getOut()).contains("Banned 127.0.11.0/24 until");

        assertThat(admin().delete("/actuator/bans/127.0.11.0_24").status()).isEqualTo(204);
        assertThat(output.getOut()).contains("Ban lifted: 127.0.11.0/24");
        echoing("127.0.11.9", "chat");
        Response again = admin().delete("/actuator/bans/127.0.11.0_24");
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(again.json().at("/detail").asString()).contains("no ban on 127.0.11.0/24");
    }

    @Test
    void closeOpenClosesTheAddresssOpenConnectionsWithErrorBannedAndTheDefaultDurationIsBanTime() {
        TcpTestClient first = echoing("127.0.13.1", "chat");
        TcpTestClient second = echoing("127.0.13.1", "chat");
        TcpTestClient neighbour = echoing("127.0.13.2", "chat");
        Response made = admin().post("/actuator/bans", "{\"address\":\"127.0.13.1\",\"closeOpen\":true}");
        assertThat(made.status()).isEqualTo(201);
        assertThat(Duration.between(Instant.now(), Instant.parse(made.json().at("/until").asString())))
                .as("gateway.flapping.ban-time").isBetween(Duration.ZERO, Duration.ofSeconds(2));
        for (TcpTestClient banned : List.of(first, second)) {
            assertThat(banned.readLine()).isEqualTo("ERROR banned");
            banned.awaitClosedByServer();
        }
        assertThat(echo(neighbour, "unaffected")).isTrue();
        await().until(() -> registry.closed().stream().filter((peer) -> peer.remoteAddress().equals("127.0.13.1")
                && peer.reason() == CloseReason.BANNED).count() == 2);
    }

    @Test
    void aBanEndsByItself() {
        assertThat(admin().post("/actuator/bans", "{\"address\":\"127.0.14.1\",\"duration\":\"1s\"}").status()).isEqualTo(201);
        assertThat(from("127.0.14.1", "chat").readLine()).isEqualTo("ERROR banned");
        await().atMost(Duration.ofSeconds(5)).until(() -> admin().get("/actuator/bans").json().at("/bans")
                .findValuesAsString("address").stream().noneMatch("127.0.14.1"::equals));
        echoing("127.0.14.1", "chat");
    }

    @Test
    void theGoodbyeIsInTheListenersFraming() {
        admin().post("/actuator/bans", "{\"address\":\"127.0.15.1\"}");
        TcpTestClient client = from("127.0.15.1", "binary");
        assertThat(new String(client.readLengthPrefixed(), StandardCharsets.US_ASCII)).isEqualTo("ERROR banned");
        client.awaitClosedByServer();
    }

    @Test
    void onATlsListenerABannedAddressIsClosedBeforeTheHandshake() throws Exception {
        admin().post("/actuator/bans", "{\"address\":\"127.0.16.1\"}");
        double before = closed("tls", CloseReason.BANNED);
        Socket raw = new Socket();
        raw.bind(new InetSocketAddress("127.0.16.1", 0));
        raw.connect(new InetSocketAddress("127.0.0.1", GatewayPorts.of(registrar, "tls")), 5000);
        raw.setSoTimeout(5000);
        try (SSLSocket secure = (SSLSocket) TestCertificates.trusting(keystore).getSocketFactory()
                .createSocket(raw, "localhost", raw.getPort(), true)) {
            assertThatThrownBy(secure::startHandshake).isInstanceOf(IOException.class);
        }
        assertThat(closed("tls", CloseReason.BANNED)).isEqualTo(before + 1);
    }

    @Test
    void behindAProxyTheClientAddressFromTheHeaderIsWhatIsBanned() {
        admin().post("/actuator/bans", "{\"address\":\"203.0.113.50\"}");
        TcpTestClient banned = TcpTestClient.connect(GatewayPorts.of(registrar, "proxied"));
        clients.add(banned);
        banned.sendRaw(ascii("PROXY TCP4 203.0.113.50 10.0.0.1 5000 9000\r\nhello\n"));
        assertThat(banned.readLine()).isEqualTo("ERROR banned");
        banned.awaitClosedByServer();
        TcpTestClient other = TcpTestClient.connect(GatewayPorts.of(registrar, "proxied"));
        clients.add(other);
        other.sendRaw(ascii("PROXY TCP4 203.0.113.51 10.0.0.1 5000 9000\r\nhello\n"));
        assertThat(other.readLine()).as("the balancer's own address is not what is banned").isEqualTo("hello");
        await().until(() -> closed("proxied", CloseReason.BANNED) >= 1);
    }

    /**
     * Issue 20: one connection from each of more addresses than the table holds (easy behind a PROXY-speaking
     * balancer) used to stop detection for the rest of the window. Now the flood is forgotten first, and an
     * address that flaps after it is still counted and banned.
     */
    @Test
    void aFloodOfAddressesThatConnectOnceNeverBlindsDetection() {
        for (int i = 0; i < 250; i++) {
            assertThat(echoBehindProxy("198.18." + (i / 200) + "." + (i % 200), "once")).isEqualTo("once");
        }
        for (int i = 0; i < 3; i++) {
            assertThat(echoBehindProxy("198.19.0.1", "flapping " + i)).isEqualTo("flapping " + i);
        }
        assertThat(echoBehindProxy("198.19.0.1", "one too many")).isEqualTo("ERROR banned");
        assertThat(banOf("198.19.0.1").at("/reason").asString()).isEqualTo("flapping");
    }

    private String echoBehindProxy(String client, String line) {
        try (TcpTestClient connection = TcpTestClient.connect(GatewayPorts.of(registrar, "proxied"))) {
            connection.sendRaw(ascii("PROXY TCP4 " + client + " 10.0.0.1 5000 9000\r\n" + line + "\n"));
            return connection.readLine();
        }
    }

    @Test
    void badCallsGetAProblemNamingWhatIsWrong() {
        assertProblem(admin().post("/actuator/bans", "{\"address\":\"not-an-address\"}"), 400, "is not an IP address");
        assertProblem(admin().post("/actuator/bans", "{\"address\":\"localhost\"}"), 400, "is not an IP address");
        assertProblem(admin().post("/actuator/bans", "{\"address\":\"10.0.0.0/33\"}"), 400, "not between 0 and 32");
        assertProblem(admin().post("/actuator/bans", "{\"duration\":\"PT1M\"}"), 400, "address is missing");
        assertProblem(admin().post("/actuator/bans", "{\"address\":\"10.0.0.1\",\"duration\":\"soon\"}"), 400,
                "duration must be an ISO-8601 duration");
        assertProblem(admin().post("/actuator/bans", "{\"address\":\"10.0.0.1\",\"duration\":\"PT0S\"}"), 400,
                "duration must be");
        assertProblem(admin().post("/actuator/bans", "{\"address\":\"10.0.0.1\",\"duration\":\"-PT5M\"}"), 400,
                "duration must be");
        assertProblem(admin().delete("/actuator/bans/nonsense"), 400, "is not an IP address");
        assertProblem(admin().delete("/actuator/bans/10.9.9.9"), 404, "no ban on 10.9.9.9");
        assertThat(AdminClient.anonymous(managementPort).get("/actuator/bans").status()).isEqualTo(401);
        assertThat(admin().get("/actuator/bans").json().at("/bans").findValuesAsString("address")).doesNotContain("10.0.0.1");
    }

    /** CONTRACT section 6: a ban cannot cover everyone by accident. */
    @Test
    void aRangeWithHostBitsOrBroaderThanSlash8IsRefusedUnlessForced(CapturedOutput output) {
        TcpTestClient client = echoing("127.0.18.1", "chat");
        assertProblem(admin().post("/actuator/bans", "{\"address\":\"0.0.0.0/0\",\"closeOpen\":true}"), 400,
                "send \"force\":true");
        assertProblem(admin().post("/actuator/bans", "{\"address\":\"::/0\",\"closeOpen\":true}"), 400, "force");
        assertProblem(admin().post("/actuator/bans", "{\"address\":\"203.0.113.9/0\"}"), 400, "the network is 0.0.0.0/0");
        assertProblem(admin().post("/actuator/bans", "{\"address\":\"127.0.18.9/24\"}"), 400,
                "host bits set: the network is 127.0.18.0/24");
        assertProblem(admin().post("/actuator/bans", "{\"address\":\"100.0.0.0/7\",\"force\":false}"), 400, "force");
        assertThat(echo(client, "still served")).as("nothing was banned").isTrue();
        assertThat(admin().get("/actuator/bans").json().at("/bans").findValuesAsString("address"))
                .doesNotContain("0.0.0.0/0", "0:0:0:0:0:0:0:0/0", "127.0.18.0/24");

        Response forced = admin().post("/actuator/bans", "{\"address\":\"2001::/16\",\"force\":true}");
        assertThat(forced.status()).as(forced.body()).isEqualTo(201);
        assertThat(output.getOut()).contains("Forced ban of the broad range 2001:0:0:0:0:0:0:0/16");
        assertThat(admin().delete("/actuator/bans/2001::_16").status()).isEqualTo(204);
        assertThat(admin().post("/actuator/bans", "{\"address\":\"10.0.0.0/8\",\"duration\":\"1s\"}").status())
                .as("/8 needs no force").isEqualTo(201);
    }

    private JsonNode banOf(String address) {
        for (JsonNode ban : admin().get("/actuator/bans").json().at("/bans")) {
            if (ban.at("/address").asString().equals(address)) {
                return ban;
            }
        }
        throw new AssertionError("no ban on " + address + " in " + admin().get("/actuator/bans").body());
    }

    private AdminClient admin() {
        return AdminClient.as(managementPort, "admin", "test-secret");
    }

    private TcpTestClient from(String address, String listener) {
        TcpTestClient client = TcpTestClient.connectFrom(address, GatewayPorts.of(registrar, listener));
        clients.add(client);
        return client;
    }

    /** A client from {@code address} whose echo came back: it was let in. */
    private TcpTestClient echoing(String address, String listener) {
        TcpTestClient client = from(address, listener);
        assertThat(echo(client, "hello from " + address)).as("%s let in", address).isTrue();
        return client;
    }

    private static boolean echo(TcpTestClient client, String text) {
        client.sendLine(text);
        return text.equals(client.readLine());
    }

    private double closed(String listener, CloseReason reason) {
        return meters.get("gateway.connections.closed").tag("listener", listener).tag("reason", reason.tag())
                .functionCounter().count();
    }

}
