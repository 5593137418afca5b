package io.tcpgateway.admin;

import static io.tcpgateway.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.listener.ListenerRegistrar;
import io.tcpgateway.support.AdminClient;
import io.tcpgateway.support.AdminClient.Response;
import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.Peers;
import io.tcpgateway.support.TcpTestClient;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** CONTRACT section 6, row by row, over real HTTP on the management port and real TCP clients. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.admin.password=test-secret",
        "gateway.listeners[0].name=chat", "gateway.listeners[0].port=0",
        "gateway.listeners[1].name=echo", "gateway.listeners[1].port=0", "gateway.listeners[1].mode=echo",
        "gateway.listeners[1].framing=length-prefix" })
class AdminApiIT {

    @LocalServerPort
    int managementPort;

    @Autowired
    ListenerRegistrar registrar;

    @Autowired
    PeerRegistry registry;

    AdminClient admin;
    final List<TcpTestClient> clients = new ArrayList<>();

    @BeforeEach
    void adminClient() {
        admin = AdminClient.as(managementPort, "admin", "test-secret");
    }

    @AfterEach
    void closeClients() {
        clients.forEach(TcpTestClient::close);
        await().until(() -> registry.size() == 0);
    }

    @Test
    void healthInfoAndPrometheusAreOpenAndEverythingElseNeedsTheAdminCredentials() {
        AdminClient anonymous = AdminClient.anonymous(managementPort);
        for (String open : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
                "/actuator/info", "/actuator/prometheus")) {
            assertThat(anonymous.get(open).status()).as(open).isEqualTo(200);
        }
        assertThat(anonymous.get("/actuator/info").json().at("/build/version").asString()).isNotBlank();
        assertThat(anonymous.get("/actuator/gateway").status()).isEqualTo(401);
        assertThat(anonymous.get("/actuator/connections").status()).isEqualTo(401);
        assertThat(anonymous.delete("/actuator/connections/c1").status()).isEqualTo(401);
        assertThat(anonymous.post("/actuator/broadcast", "{\"message\":\"x\"}").status()).isEqualTo(401);
        AdminClient wrong = AdminClient.as(managementPort, "admin", "guess");
        assertThat(wrong.get("/actuator/gateway").status()).isEqualTo(401);
        assertThat(wrong.post("/actuator/broadcast", "{\"message\":\"x\"}").status()).isEqualTo(401);
        assertThat(AdminClient.as(managementPort, "root", "test-secret").get("/actuator/gateway").status()).isEqualTo(401);
        assertThat(admin.get("/actuator/gateway").status()).isEqualTo(200);
    }

    @Test
    void readinessIncludesTheListenersAndLivenessDoesNot() {
        JsonNode readiness = admin.get("/actuator/health/readiness").json();
        assertThat(readiness.at("/status").asString()).isEqualTo("UP");
        assertThat(readiness.at("/components/listeners/status").asString()).isEqualTo("UP");
        assertThat(readiness.at("/components/readinessState/status").asString()).isEqualTo("UP");
        assertThat(admin.get("/actuator/health/liveness").json().at("/components/listeners").isMissingNode()).isTrue();
    }

    @Test
    void gatewayDescribesListenersWithTheirBoundPortsConnectionsAndUptime() {
        connect("chat");
        connect("chat");
        connect("echo");
        await().until(() -> registry.size() == 3);
        JsonNode gateway = admin.get("/actuator/gateway").json();
        assertThat(gateway.at("/connections").asInt()).isEqualTo(3);
        assertThat(gateway.at("/uptime").asString()).startsWith("PT");
        JsonNode chat = gateway.at("/listeners/0");
        assertThat(chat.at("/name").asString()).isEqualTo("chat");
        assertThat(chat.at("/port").asInt()).isEqualTo(GatewayPorts.of(registrar, "chat")).isPositive();
        assertThat(chat.at("/mode").asString()).isEqualTo("broadcast");
        assertThat(chat.at("/framing").asString()).isEqualTo("line");
        assertThat(chat.at("/running").asBoolean()).isTrue();
        assertThat(chat.at("/connections").asInt()).isEqualTo(2);
        JsonNode echo = gateway.at("/listeners/1");
        assertThat(echo.at("/mode").asString()).isEqualTo("echo");
        assertThat(echo.at("/framing").asString()).isEqualTo("length-prefix");
        assertThat(echo.at("/connections").asInt()).isEqualTo(1);
    }

    @Test
    void connectionsAreListedNewestFirstWithFiltersAndPaging() {
        TcpTestClient first = connect("chat");
        connect("chat");
        TcpTestClient newest = connect("chat");
        connect("echo");
        await().until(() -> registry.size() == 4);
        first.sendLine("counted");
        await().until(() -> admin.get("/actuator/connections/" + idOf(first)).json().at("/framesIn").asInt() == 1);

        JsonNode all = admin.get("/actuator/connections").json();
        assertThat(all.at("/total").asInt()).isEqualTo(4);
        JsonNode chat = admin.get("/actuator/connections?listener=chat").json();
        assertThat(chat.at("/total").asInt()).isEqualTo(3);
        assertThat(chat.at("/connections/0/id").asString()).isEqualTo(idOf(newest));
        assertThat(chat.at("/connections/2/id").asString()).isEqualTo(idOf(first));
        JsonNode described = chat.at("/connections/2");
        for (String field : List.of("id", "listener", "remoteAddress", "remotePort", "connectedAt", "lastReadAt",
                "lastWriteAt", "framesIn", "framesOut", "bytesIn", "bytesOut", "pendingBytes")) {
            assertThat(described.has(field)).as(field).isTrue();
        }
        assertThat(described.has("closedAt")).isFalse();
        assertThat(described.at("/remotePort").asInt()).isEqualTo(first.socket().getLocalPort());
        assertThat(described.at("/framesIn").asInt()).isEqualTo(1);
        assertThat(described.at("/bytesIn").asInt()).isEqualTo(8);
        assertThat(described.at("/connectedAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");

        JsonNode page = admin.get("/actuator/connections?listener=chat&limit=2&offset=1").json();
        assertThat(page.at("/total").asInt()).isEqualTo(3);
        assertThat(page.at("/connections")).hasSize(2);
        assertThat(page.at("/connections/1/id").asString()).isEqualTo(idOf(first));
    }

    @Test
    void badListQueriesAreRefusedWithAReason() {
        Response unknown = admin.get("/actuator/connections?listener=nope");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().at("/detail").asString()).contains("nope");
        assertThat(admin.get("/actuator/connections?state=sleeping").status()).isEqualTo(400);
        assertThat(admin.get("/actuator/connections?limit=-1").status()).isEqualTo(400);
        assertThat(admin.get("/actuator/connections?limit=lots").status()).isEqualTo(400);
    }

    @Test
    void oneConnectionIsShownByIdAndUnknownIdsAre404() {
        TcpTestClient client = connect("chat");
        String id = idOf(client);
        JsonNode one = admin.get("/actuator/connections/" + id).json();
        assertThat(one.at("/id").asString()).isEqualTo(id);
        assertThat(one.at("/listener").asString()).isEqualTo("chat");
        Response unknown = admin.get("/actuator/connections/c999999");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().at("/detail").asString()).contains("c999999");
    }

    @Test
    void deleteKicksTheConnectionWhichThenShowsInTheClosedHistory() {
        TcpTestClient client = connect("chat");
        String id = idOf(client);
        assertThat(admin.delete("/actuator/connections/" + id).status()).isEqualTo(204);
        assertThat(client.readLine()).as("told why first").isEqualTo("ERROR kicked");
        client.awaitClosedByServer();
        await().until(() -> registry.find(id).isEmpty());
        JsonNode closed = admin.get("/actuator/connections?state=closed").json();
        assertThat(closed.at("/connections/0/id").asString()).isEqualTo(id);
        assertThat(closed.at("/connections/0/reason").asString()).isEqualTo("kicked");
        assertThat(closed.at("/connections/0/closedAt").asString()).endsWith("Z");
        Response again = admin.delete("/actuator/connections/" + id);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().at("/detail").asString()).as("says it is closed, not unknown")
                .contains("'" + id + "' is closed (kicked, at ");
        assertThat(admin.post("/actuator/connections/" + id, "{\"message\":\"late\"}").json().at("/detail").asString())
                .contains("is closed (kicked");
        assertThat(admin.get("/actuator/connections/" + id).json().at("/reason").asString()).isEqualTo("kicked");
    }

    /**
     * CONTRACT section 6 (issue 21): a connection the gateway has decided to close is gone from the open
     * list, the gauge and the counts at once, and in the closed history, even while its goodbye lingers
     * (its client has not read it nor closed its end); every call on it gets the same answer.
     */
    @Test
    void aKickedConnectionLeavesTheOpenListAtOnceWhileItsGoodbyeLingers() {
        TcpTestClient lingering = connect("chat"); // reads nothing, closes nothing
        String id = idOf(lingering);
        int openBefore = admin.get("/actuator/gateway").json().at("/connections").asInt();
        assertThat(admin.delete("/actuator/connections/" + id).status()).isEqualTo(204);
        assertThat(admin.get("/actuator/connections").json().at("/connections").findValuesAsString("id")).doesNotContain(id);
        assertThat(admin.get("/actuator/gateway").json().at("/connections").asInt()).isEqualTo(openBefore - 1);
        assertThat(admin.get("/actuator/prometheus").body()).contains("gateway_connections_active{listener=\"chat\"} "
                + (openBefore - 1) + ".0");
        assertThat(admin.get("/actuator/connections?state=closed").json().at("/connections/0/id").asString()).isEqualTo(id);
        for (Response call : List.of(admin.delete("/actuator/connections/" + id),
                admin.post("/actuator/connections/" + id, "{\"message\":\"late\"}"))) {
            assertThat(call.status()).isEqualTo(404);
            assertThat(call.json().at("/detail").asString()).contains("'" + id + "' is closed (kicked, at ");
        }
        assertThat(lingering.readLine()).as("the goodbye is still there to read").isEqualTo("ERROR kicked");
    }

    @Test
    void postSendsOneFrameToThatConnection() {
        TcpTestClient target = connect("chat");
        TcpTestClient other = connect("chat");
        TcpTestClient binary = connect("echo");
        assertThat(admin.post("/actuator/connections/" + idOf(target), "{\"message\":\"just for you ✓\"}").status())
                .isEqualTo(204);
        assertThat(target.readLine()).isEqualTo("just for you ✓");
        assertThat(admin.post("/actuator/connections/" + idOf(binary), "{\"message\":\"framed\"}").status())
                .isEqualTo(204);
        assertThat(new String(binary.readLengthPrefixed())).isEqualTo("framed");
        other.sendLine("PING");
        assertThat(other.readLine()).as("nobody else got it").isEqualTo("PONG");
    }

    @Test
    void badSendsAreRefusedWithAReason() {
        TcpTestClient client = connect("chat");
        Response missing = admin.post("/actuator/connections/" + idOf(client), "{}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().at("/detail").asString()).contains("message");
        assertThat(admin.post("/actuator/connections/" + idOf(client), "{\"text\":\"wrong field\"}").status()).isEqualTo(400);
        assertThat(admin.post("/actuator/connections/c999999", "{\"message\":\"x\"}").status()).isEqualTo(404);
        Response twoLines = admin.post("/actuator/connections/" + idOf(client), "{\"message\":\"one\\ntwo\"}");
        assertThat(twoLines.status()).isEqualTo(400);
        assertThat(twoLines.json().at("/detail").asString()).contains("line feed");
    }

    @Test
    void aMessageLongerThanTheListenersMaxFrameBytesIsRefusedAndSentToNobody() {
        TcpTestClient client = connect("chat");
        TcpTestClient binary = connect("echo");
        String tooLong = "x".repeat(65_537); // max-frame-bytes is 65536 by default
        Response toOne = admin.post("/actuator/connections/" + idOf(client), "{\"message\":\"" + tooLong + "\"}");
        assertThat(toOne.status()).isEqualTo(400);
        assertThat(toOne.json().at("/detail").asString()).contains("65537 bytes").contains("max-frame-bytes");
        Response toAll = admin.post("/actuator/broadcast", "{\"message\":\"" + tooLong + "\"}");
        assertThat(toAll.status()).isEqualTo(400);
        assertThat(toAll.json().at("/detail").asString()).contains("max-frame-bytes");
        Response big = admin.post("/actuator/broadcast", "{\"message\":\"" + "y".repeat(20 * 1024 * 1024) + "\"}");
        assertThat(big.status()).as("20 MB").isEqualTo(400);
        String fits = "z".repeat(65_536);
        assertThat(admin.post("/actuator/connections/" + idOf(client), "{\"message\":\"" + fits + "\"}").status())
                .isEqualTo(204);
        assertThat(client.readLine()).as("nothing before the frame that fits").isEqualTo(fits);
        assertThat(admin.post("/actuator/broadcast", "{\"message\":\"after\"}").json().at("/delivered").asInt())
                .isEqualTo(2);
        assertThat(client.readLine()).isEqualTo("after");
        assertThat(new String(binary.readLengthPrefixed())).as("nothing before it").isEqualTo("after");
        assertThat(registry.find(idOf(client))).as("nobody was closed").isPresent();
    }

    @Test
    void broadcastReachesEveryConnectionOfTheListenerOrOfAll() {
        TcpTestClient a = connect("chat");
        TcpTestClient b = connect("chat");
        TcpTestClient binary = connect("echo");
        Response toChat = admin.post("/actuator/broadcast", "{\"message\":\"to chat\",\"listener\":\"chat\"}");
        assertThat(toChat.status()).isEqualTo(200);
        assertThat(toChat.json().at("/delivered").asInt()).isEqualTo(2);
        assertThat(toChat.json().at("/nodes").isMissingNode()).as("\"nodes\" only in a cluster").isTrue();
        assertThat(a.readLine()).isEqualTo("to chat");
        assertThat(b.readLine()).isEqualTo("to chat");
        Response toAll = admin.post("/actuator/broadcast", "{\"message\":\"to all\"}");
        assertThat(toAll.json().at("/delivered").asInt()).isEqualTo(3);
        assertThat(a.readLine()).isEqualTo("to all");
        assertThat(new String(binary.readLengthPrefixed())).as("the echo listener got only the second").isEqualTo("to all");
    }

    @Test
    void badBroadcastsAreRefusedWithAReason() {
        Response missing = admin.post("/actuator/broadcast", "{\"listener\":\"chat\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().at("/detail").asString()).contains("message");
        Response unknown = admin.post("/actuator/broadcast", "{\"message\":\"x\",\"listener\":\"nope\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().at("/detail").asString()).contains("nope");
    }

    /** CONTRACT section 6: every 4xx and 5xx is an RFC 9457 problem whose detail says what was wrong. */
    @Test
    void everyErrorIsAProblemWithADetail() {
        assertProblem(admin.post("/actuator/broadcast", "{\"message\":"), 400, "not the JSON expected");
        assertProblem(admin.get("/actuator/connections?limit=abc"), 400, "limit");
        assertProblem(admin.call("POST", "/actuator/broadcast", "text/plain", BodyPublishers.ofString("hello")), 415,
                "text/plain");
        assertProblem(admin.call("PUT", "/actuator/gateway", "application/json", BodyPublishers.ofString("{}")), 405, "PUT");
        assertProblem(admin.get("/actuator/nope"), 404, "no such path");
        assertProblem(admin.post("/actuator/broadcast", "{\"message\":\"x\",\"listener\":\"nope\"}"), 400,
                "unknown listener 'nope'");
        assertProblem(admin.get("/actuator/connections/c424242"), 404, "no connection 'c424242'");
        Response wrongPassword = AdminClient.as(managementPort, "admin", "wrong").get("/actuator/gateway");
        assertProblem(wrongPassword, 401, "credentials");
        assertThat(wrongPassword.authenticate()).as("still asks for Basic").startsWith("Basic");
    }

    /**
     * Issue 20: paths refused by Tomcat before any servlet (encoded '/', '\\', NUL) used to get Tomcat's HTML
     * page, and those Spring Security's firewall refuses a problem with an empty detail. Sent byte for byte
     * over a socket, as an attacker would (an HTTP client library may normalise them first).
     */
    @Test
    void oddPathsGetAProblemWithADetailToo() throws Exception {
        for (String path : List.of("/actuator/connections/..%2fx", "/actuator/connections/%00", "/actuator/connections/%5c",
                "/actuator/connections/..;/", "/actuator/connections/%2e%2e", "/actuator/connections/a;b", "/actuator//gateway")) {
            String answer = rawGet(path);
            assertThat(answer).as(path).startsWith("HTTP/1.1 400").containsIgnoringCase("Content-Type: application/problem+json")
                    .doesNotContain("<html").doesNotContain("\"detail\":\"\"");
            JsonNode problem = JsonMapper.builder().build()
                    .readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(problem.at("/status").asInt()).as(path).isEqualTo(400);
            assertThat(problem.at("/detail").asString()).as(path).isNotBlank();
        }
        assertProblem(admin.get("/actuator/connections/a%3Cb"), 404, "no connection 'a<b'");
    }

    private String rawGet(String path) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", managementPort)) {
            socket.setSoTimeout(10_000);
            String credentials = Base64.getEncoder().encodeToString("admin:test-secret".getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic " + credentials
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Such a body holds a message longer than any listener's max-frame-bytes: 400, as the contract says. */
    @Test
    void aHugeBodyIsRefusedAsAProblemBeforeItIsRead() {
        long twoHundredMegabytes = 200L * 1024 * 1024;
        assertProblem(admin.call("POST", "/actuator/broadcast", "application/json",
                BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> new JsonOfSize(twoHundredMegabytes)),
                        twoHundredMegabytes)), 400, "is over the limit");
        // Chunked (no declared length): read up to the limit, then refused. Just over it, so the
        // container swallows the rest and the answer is never cut off by a reset.
        assertProblem(admin.call("POST", "/actuator/broadcast", "application/json",
                BodyPublishers.ofInputStream(() -> new JsonOfSize(1024 * 1024))), 400, "is over the limit");
        assertThat(admin.post("/actuator/broadcast", "{\"message\":\"still fine\"}").status()).isEqualTo(200);
    }

    /** {@code {"message":"xxxx...} of the given size, made as it is read (never held in memory). */
    private static final class JsonOfSize extends InputStream {

        private static final byte[] START = "{\"message\":\"".getBytes(StandardCharsets.US_ASCII);
        private final long size;
        private long position;

        JsonOfSize(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            if (position >= size) {
                return -1;
            }
            long at = position++;
            return (at < START.length) ? START[(int) at] : 'x';
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - position);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = (byte) read();
            }
            return n;
        }
    }

    private TcpTestClient connect(String listener) {
        TcpTestClient client = TcpTestClient.connect(GatewayPorts.of(registrar, listener));
        clients.add(client);
        Peers.awaitPeer(registry, client);
        return client;
    }

    private String idOf(TcpTestClient client) {
        return Peers.awaitPeer(registry, client).id();
    }
}
