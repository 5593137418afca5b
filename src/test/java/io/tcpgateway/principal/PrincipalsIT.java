package io.tcpgateway.principal;

import static io.tcpgateway.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.listener.ListenerRegistrar;
import io.tcpgateway.support.AdminClient;
import io.tcpgateway.support.AdminClient.Response;
import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.TcpTestClient;
import io.tcpgateway.support.TestCertificates;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * CONTRACT section 14 on one pod, over real sockets and real HTTP: a message to every connection of a
 * principal, the offline queue in the process (ttl, expiry, bounds, order, delivered right after OK and before
 * a broadcast running meanwhile), DELETE, and duplicate-principal replace and refuse.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.admin.password=test-secret",
        "gateway.principals.queue.max-messages=5", "gateway.principals.queue.max-bytes=200",
        "gateway.principals.queue.max-ttl=2h",
        "gateway.listeners[0].name=devices", "gateway.listeners[0].port=0", "gateway.listeners[0].auth=token",
        "gateway.listeners[1].name=replace", "gateway.listeners[1].port=0", "gateway.listeners[1].auth=token",
        "gateway.listeners[1].duplicate-principal=replace", "gateway.listeners[1].mode=echo",
        "gateway.listeners[2].name=refuse", "gateway.listeners[2].port=0", "gateway.listeners[2].auth=token",
        "gateway.listeners[2].duplicate-principal=refuse", "gateway.listeners[2].mode=echo",
        "gateway.listeners[3].name=open", "gateway.listeners[3].port=0",
        "gateway.listeners[4].name=certs", "gateway.listeners[4].port=0", "gateway.listeners[4].auth=client-cert",
        "gateway.listeners[4].ssl-bundle=clients" })
class PrincipalsIT {

    static final List<String> DEVICES = List.of("dev-1", "dev-2", "dev-3", "dev-4", "dev-5", "dev-6", "dev-7", "dev-8");
    static Path serverKeystore;
    static Path deviceCertificate;

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
    static void tokens(DynamicPropertyRegistry properties) throws Exception {
        for (String device : DEVICES) {
            properties.add("gateway.auth.tokens." + device, () -> TestCertificates.sha256Hex(token(device)));
        }
        serverKeystore = TestCertificates.selfSignedKeystore();
        deviceCertificate = TestCertificates.selfSignedKeystore("fleet/cert-device"); // a "/" in the API's path
        TestCertificates.registerKeystore(properties, "clients", serverKeystore);
        TestCertificates.registerTruststore(properties, "clients", TestCertificates.truststoreOf(deviceCertificate));
    }

    static String token(String device) {
        return "token-of-" + device;
    }

    @AfterEach
    void closeClients() {
        clients.forEach(TcpTestClient::close);
        await().until(() -> registry.size() == 0);
    }

    @Test
    void aMessageReachesEveryConnectionOfThePrincipalAndNoOther() {
        TcpTestClient first = login("devices", "dev-1");
        TcpTestClient second = login("devices", "dev-1");
        TcpTestClient other = login("devices", "dev-2");
        double delivered = counter("delivered");

        Response sent = admin().post("/actuator/principals/dev-1", "{\"message\":\"hello dev-1\"}");
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        assertThat(sent.json().at("/delivered").asInt()).isEqualTo(2);
        assertThat(sent.json().at("/queued").asInt()).isZero();
        assertThat(first.readLine()).isEqualTo("hello dev-1");
        assertThat(second.readLine()).isEqualTo("hello dev-1");
        other.sendLine("PING");
        assertThat(other.readLine()).isEqualTo("PONG"); // nothing for dev-1 reached dev-2 before it
        assertThat(counter("delivered") - delivered).isEqualTo(2);

        JsonNode shown = admin().get("/actuator/principals/dev-1").json();
        assertThat(shown.at("/principal").asString()).isEqualTo("dev-1");
        assertThat(shown.at("/connections").size()).isEqualTo(2);
        assertThat(shown.at("/connections/0/principal").asString()).isEqualTo("dev-1");
        assertThat(shown.at("/connections/0/listener").asString()).isEqualTo("devices");
        assertThat(shown.at("/queued").asInt()).isZero();

        // On a listener where it has no connection: none reached, and without a ttl nothing is kept.
        assertProblem(admin().post("/actuator/principals/dev-1", "{\"message\":\"x\",\"listener\":\"replace\"}"), 404,
                "no open connection on listener 'replace'");
    }

    @Test
    void withoutAConnectionATtlQueuesAndWithoutOneItIsNotFound() {
        assertProblem(admin().get("/actuator/principals/dev-3"), 404, "no open connection and nothing queued");
        assertProblem(admin().post("/actuator/principals/dev-3", "{\"message\":\"lost\"}"), 404, "give a \"ttl\"");
        Response queued = admin().post("/actuator/principals/dev-3", "{\"message\":\"kept\",\"ttl\":\"PT1H\"}");
        assertThat(queued.status()).as(queued.body()).isEqualTo(202);
        assertThat(queued.json().at("/delivered").asInt()).isZero();
        assertThat(queued.json().at("/queued").asInt()).isEqualTo(1);
        JsonNode shown = admin().get("/actuator/principals/dev-3").json();
        assertThat(shown.at("/connections").size()).isZero();
        assertThat(shown.at("/queued").asInt()).isEqualTo(1);
        assertThat(admin().delete("/actuator/principals/dev-3").status()).isEqualTo(204); // drops the queue
        assertProblem(admin().get("/actuator/principals/dev-3"), 404, "nothing queued");
        assertProblem(admin().delete("/actuator/principals/dev-3"), 404, "nothing queued");
    }

    @Test
    void queuedMessagesComeRightAfterOkInOrderBeforeABroadcastRunningMeanwhile() throws Exception {
        double delivered = counter("delivered");
        TcpTestClient talker = login("devices", "dev-5");
        AtomicBoolean talking = new AtomicBoolean(true);
        Thread broadcaster = Thread.ofVirtual().start(() -> {
            for (int n = 0; talking.get(); n++) {
                talker.sendLine("broadcast " + n);
            }
        });
        try {
            // Many rounds: the moment a login becomes open to broadcasts is short, and a broadcast that slipped
            // in before the queued messages would show in some of them.
            for (int round = 0; round < 10; round++) {
                for (int i = 1; i <= 5; i++) {
                    assertThat(admin().post("/actuator/principals/dev-4", "{\"message\":\"queued " + i + "\",\"ttl\":\"PT1H\"}")
                            .status()).isEqualTo(202);
                }
                assertThat(admin().get("/actuator/principals/dev-4").json().at("/queued").asInt()).isEqualTo(5);
                try (TcpTestClient device = TcpTestClient.connect(GatewayPorts.of(registrar, "devices"))) {
                    device.sendLine("AUTH " + token("dev-4"));
                    assertThat(device.readLine()).isEqualTo("OK");
                    for (int i = 1; i <= 5; i++) {
                        assertThat(device.readLine()).as("round " + round).isEqualTo("queued " + i);
                    }
                    assertThat(device.readLine()).startsWith("broadcast ");
                }
                await().until(() -> registry.ofPrincipal("dev-4").isEmpty());
            }
        }
        finally {
            talking.set(false);
            broadcaster.join();
        }
        assertThat(counter("delivered") - delivered).isEqualTo(50);
        assertProblem(admin().get("/actuator/principals/dev-4"), 404, "nothing queued");
    }

    @Test
    void aMessageKeptPastItsTtlIsDroppedAndCountedNeverDelivered() {
        double expired = counter("expired");
        assertThat(admin().post("/actuator/principals/dev-6", "{\"message\":\"stale\",\"ttl\":\"300ms\"}").status())
                .isEqualTo(202);
        assertThat(admin().post("/actuator/principals/dev-6", "{\"message\":\"fresh\",\"ttl\":\"PT1H\"}").status())
                .isEqualTo(202);
        await().untilAsserted(() -> assertThat(admin().get("/actuator/principals/dev-6").json().at("/queued").asInt())
                .isEqualTo(1));
        assertThat(counter("expired") - expired).isEqualTo(1);
        TcpTestClient device = login("devices", "dev-6");
        assertThat(device.readLine()).isEqualTo("fresh");
        device.sendLine("PING");
        assertThat(device.readLine()).isEqualTo("PONG");
    }

    @Test
    void aFullQueueRefusesWith409NamingTheBoundAndKeepsWhatItHas() {
        double refused = counter("refused");
        for (int i = 1; i <= 5; i++) {
            assertThat(admin().post("/actuator/principals/dev-7", "{\"message\":\"m" + i + "\",\"ttl\":\"PT1H\"}").status())
                    .isEqualTo(202);
        }
        assertProblem(admin().post("/actuator/principals/dev-7", "{\"message\":\"m6\",\"ttl\":\"PT1H\"}"), 409,
                "max-messages (5)");
        // Bytes are bounded per listener's queue: 150 + 60 bytes go over 200.
        String large = "x".repeat(150);
        assertThat(admin().post("/actuator/principals/dev-8", "{\"message\":\"" + large + "\",\"ttl\":\"PT1H\","
                + "\"listener\":\"replace\"}").status()).isEqualTo(202);
        assertProblem(admin().post("/actuator/principals/dev-8", "{\"message\":\"" + "y".repeat(60) + "\",\"ttl\":\"PT1H\","
                + "\"listener\":\"replace\"}"), 409, "max-bytes (200)");
        assertThat(counter("refused") - refused).isEqualTo(2);
        String scrape = AdminClient.anonymous(managementPort).get("/actuator/prometheus").body();
        assertThat(scrape).contains("gateway_principals_messages_total{result=\"refused\"}")
                .containsPattern("(?m)^gateway_principals_queued [1-9]");

        TcpTestClient device = login("devices", "dev-7");
        for (int i = 1; i <= 5; i++) {
            assertThat(device.readLine()).isEqualTo("m" + i);
        }
        // dev-8's message waits for a connection on its listener: one on another listener does not take it.
        TcpTestClient elsewhere = login("devices", "dev-8");
        elsewhere.sendLine("PING");
        assertThat(elsewhere.readLine()).isEqualTo("PONG");
        TcpTestClient onItsListener = login("replace", "dev-8");
        assertThat(onItsListener.readLine()).isEqualTo(large);
    }

    @Test
    void badCallsAreRefusedWithAProblemDetail() {
        assertProblem(admin().post("/actuator/principals/dev-1", "{}"), 400, "\"message\"");
        assertProblem(admin().post("/actuator/principals/dev-1", "{\"message\":\"two\\nlines\",\"ttl\":\"PT1H\"}"), 400,
                "message cannot be sent on listener devices");
        assertProblem(admin().post("/actuator/principals/dev-1", "{\"message\":\"x\",\"ttl\":\"PT3H\"}"), 400,
                "gateway.principals.queue.max-ttl (PT2H)");
        assertProblem(admin().post("/actuator/principals/dev-1", "{\"message\":\"x\",\"ttl\":\"soon\"}"), 400,
                "ttl must be a duration");
        assertProblem(admin().post("/actuator/principals/dev-1", "{\"message\":\"x\",\"listener\":\"nope\"}"), 400,
                "unknown listener 'nope'");
        assertProblem(admin().post("/actuator/principals/dev-1", "{\"message\":\"x\",\"listener\":\"open\"}"), 400,
                "has auth: none");
        assertProblem(admin().get("/actuator/principals/" + "p".repeat(300)), 400, "over 256");
        assertThat(admin().post("/actuator/principals/dev-1", "{\"message\":\"x\",\"ttl\":\"PT1H\"}").status()).isEqualTo(202);
        assertThat(AdminClient.anonymous(managementPort).get("/actuator/principals/dev-1").status()).isEqualTo(401);
        assertThat(admin().delete("/actuator/principals/dev-1").status()).isEqualTo(204);
    }

    @Test
    void deleteClosesEveryConnectionOfThePrincipal() {
        TcpTestClient first = login("devices", "dev-2");
        TcpTestClient second = login("replace", "dev-2");
        TcpTestClient bystander = login("devices", "dev-1");
        assertThat(admin().delete("/actuator/principals/dev-2").status()).isEqualTo(204);
        for (TcpTestClient kicked : List.of(first, second)) {
            assertThat(kicked.readLine()).isEqualTo("ERROR kicked");
            kicked.awaitClosedByServer();
        }
        bystander.sendLine("PING");
        assertThat(bystander.readLine()).isEqualTo("PONG");
        assertProblem(admin().get("/actuator/principals/dev-2"), 404, "no open connection");
    }

    @Test
    void replaceClosesTheOlderConnectionAndRefuseTheNewer() {
        TcpTestClient older = login("replace", "dev-3");
        TcpTestClient newer = login("replace", "dev-3");
        assertThat(older.readLine()).isEqualTo("ERROR replaced");
        older.awaitClosedByServer();
        newer.sendLine("still here");
        assertThat(newer.readLine()).isEqualTo("still here");
        await().untilAsserted(() -> assertThat(admin().get("/actuator/connections?state=closed&principal=dev-3").json()
                .at("/connections/0/reason").asString()).isEqualTo("replaced"));

        TcpTestClient first = login("refuse", "dev-4");
        TcpTestClient refused = connect("refuse");
        refused.sendLine("AUTH " + token("dev-4"));
        assertThat(refused.readLine()).isEqualTo("ERROR already connected");
        refused.awaitClosedByServer();
        first.sendLine("still here");
        assertThat(first.readLine()).isEqualTo("still here");
        await().untilAsserted(() -> assertThat(admin().get("/actuator/connections?state=closed&principal=dev-4").json()
                .at("/connections/0/reason").asString()).isEqualTo("duplicate"));
        assertThat(meters.find("gateway.connections.closed").tag("listener", "replace").tag("reason", "replaced")
                .functionCounter().count()).isPositive();
        assertThat(meters.find("gateway.connections.closed").tag("listener", "refuse").tag("reason", "duplicate")
                .functionCounter().count()).isPositive();
        // Once the first has gone, the principal may log in again.
        first.close();
        await().until(() -> registry.ofPrincipal("dev-4").isEmpty());
        login("refuse", "dev-4");
    }

    @Test
    void aClientCertificateLoginGetsItsQueueBeforeAnythingElse() throws Exception {
        assertThat(admin().post("/actuator/principals/fleet/cert-device",
                "{\"message\":\"for the certificate\",\"ttl\":\"PT1H\"}").status()).isEqualTo(202);
        try (SSLSocket tls = (SSLSocket) TestCertificates.presenting(deviceCertificate, serverKeystore).getSocketFactory()
                .createSocket()) {
            tls.connect(new InetSocketAddress("127.0.0.1", GatewayPorts.of(registrar, "certs")), 5000);
            tls.setSoTimeout(10_000);
            TcpTestClient device = TcpTestClient.over(tls);
            tls.startHandshake();
            assertThat(device.readLine()).isEqualTo("for the certificate");
            assertThat(admin().post("/actuator/principals/fleet/cert-device", "{\"message\":\"online\"}").json()
                    .at("/delivered").asInt()).isEqualTo(1);
            assertThat(device.readLine()).isEqualTo("online");
            JsonNode shown = admin().get("/actuator/principals/fleet/cert-device").json();
            assertThat(shown.at("/principal").asString()).isEqualTo("fleet/cert-device");
            assertThat(shown.at("/connections/0/listener").asString()).isEqualTo("certs");
        }
    }

    private TcpTestClient login(String listener, String device) {
        TcpTestClient client = connect(listener);
        client.sendLine("AUTH " + token(device));
        assertThat(client.readLine()).isEqualTo("OK");
        return client;
    }

    private TcpTestClient connect(String listener) {
        TcpTestClient client = TcpTestClient.connect(GatewayPorts.of(registrar, listener));
        clients.add(client);
        return client;
    }

    private double counter(String result) {
        return meters.find("gateway.principals.messages").tag("result", result).counter().count();
    }

    private AdminClient admin() {
        return AdminClient.as(managementPort, "admin", "test-secret");
    }
}
