package io.tcpgateway.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.support.AdminClient;
import io.tcpgateway.support.GatewayProcess;
import io.tcpgateway.support.TcpTestClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT sections 2 and 4, file descriptors as an operator runs out of them: the gateway runs under
 * {@code ulimit -n 400} and a flood of connections comes. With the descriptor reserve (the default) the
 * clients past it are told {@code ERROR server full} at once and the management port keeps answering;
 * with the reserve off, the flood exhausts the descriptors and the listener must keep running, keep
 * every connection it had, count and log the failures, and accept again once the flood's sockets are gone.
 */
class AcceptErrorsIT {

    static final int OPEN_FILES = 400;
    static final int QUIET = 100;
    static final int FLOOD = 500;
    static final Pattern ACCEPT_ERRORS = Pattern.compile("gateway_accept_errors_total\\{listener=\"chat\"} (\\S+)");

    @Test
    void runningOutOfFileDescriptorsNeverStopsTheListenerNorClosesOpenConnections() {
        List<TcpTestClient> quiet = new ArrayList<>();
        List<Socket> flood = new ArrayList<>();
        try (GatewayProcess gateway = GatewayProcess.startWithOpenFilesLimit(OPEN_FILES, "--gateway.listeners[0].name=chat",
                "--gateway.listeners[0].port=0", "--gateway.listeners[0].mode=echo",
                "--gateway.inbound.reserved-descriptors=0")) {
            int port = gateway.awaitListenerPort("chat");
            int http = gateway.awaitHttpPort();
            assertThat(gateway.output()).as("warned at start-up").contains("open-files limit of this process is " + OPEN_FILES);
            quiet.addAll(echoingClients(port, QUIET));

            for (int i = 0; i < FLOOD; i++) {
                flood.add(connectRaw(port)); // past the limit they wait in the kernel's backlog
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway.output().contains("could not accept a connection"));
            assertThat(gateway.output()).contains("Too many open files");
            for (int i = 0; i < QUIET; i++) {
                TcpTestClient client = quiet.get(i);
                client.sendLine("still here " + i);
                assertThat(client.readLine()).as("connection %d while out of descriptors", i).isEqualTo("still here " + i);
            }

            flood.forEach(AcceptErrorsIT::closeQuietly);
            TcpTestClient late = await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> echoingClient(port),
                    (client) -> client != null);
            late.close();
            for (int i = 0; i < QUIET; i++) {
                TcpTestClient client = quiet.get(i);
                client.sendLine("after " + i);
                assertThat(client.readLine()).as("connection %d after the flood", i).isEqualTo("after " + i);
            }
            AdminClient anonymous = AdminClient.anonymous(http);
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> anonymous.get("/actuator/health/readiness").status() == 200);
            assertThat(acceptErrors(anonymous.get("/actuator/prometheus").body())).isPositive();
            assertThat(gateway.output()).doesNotContain("stopped bean 'listener-chat").doesNotContain("reason=error");
            List<Instant> reports = gateway.output().lines().filter((line) -> line.contains("could not accept"))
                    .map((line) -> Instant.parse(line.substring(0, line.indexOf(' ')))).toList();
            for (int i = 1; i < reports.size(); i++) {
                assertThat(Duration.between(reports.get(i - 1), reports.get(i))).as("logged at most once a second")
                        .isGreaterThanOrEqualTo(Duration.ofMillis(990));
            }
            assertThat(gateway.output()).containsPattern("could not accept a connection \\(\\d+ time\\(s\\) since the last report\\)");
            assertThat(gateway.process().isAlive()).isTrue();
        }
        finally {
            quiet.forEach(TcpTestClient::close);
            flood.forEach(AcceptErrorsIT::closeQuietly);
        }
    }

    /**
     * Issue 20: at the open-files limit, {@code /actuator/gateway} answered in 5.9 s or not at all and Tomcat
     * logged a stack trace per failed accept. With 256 descriptors reserved, clients past the rest are refused
     * as server full, nobody's accept fails, and the management API answers as usual.
     */
    @Test
    void theReservedDescriptorsKeepTheManagementPortAnsweringWhileClientsAreRefused() throws Exception {
        List<TcpTestClient> quiet = new ArrayList<>();
        List<TcpTestClient> flood = new ArrayList<>();
        try (GatewayProcess gateway = GatewayProcess.startWithOpenFilesLimit(OPEN_FILES,
                Map.of("GATEWAY_ADMIN_PASSWORD", "test-secret"), "--gateway.listeners[0].name=chat",
                "--gateway.listeners[0].port=0", "--gateway.listeners[0].mode=echo")) {
            int port = gateway.awaitListenerPort("chat");
            AdminClient admin = AdminClient.as(gateway.awaitHttpPort(), "admin", "test-secret");
            assertThat(gateway.output()).contains("new clients are refused as server full");
            quiet.addAll(echoingClients(port, QUIET));
            for (int i = 0; i < FLOOD; i++) {
                flood.add(TcpTestClient.connect(port));
            }
            int admitted = OPEN_FILES - 256 - QUIET; // client sockets: the open-files limit minus the reserve
            Set<TcpTestClient> refused = Collections.newSetFromMap(new IdentityHashMap<>());
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (TcpTestClient client : flood) {
                    if (!refused.contains(client) && "ERROR server full".equals(client.readLineIfAny())) {
                        refused.add(client);
                    }
                }
                return refused.size() >= FLOOD - admitted;
            });
            assertThat(refused).as("past the open-files limit (%d) minus the reserve (256)", OPEN_FILES)
                    .hasSize(FLOOD - admitted);
            for (int i = 0; i < 20; i++) {
                long started = System.nanoTime();
                AdminClient.Response gatewayInfo = admin.get("/actuator/gateway");
                assertThat(gatewayInfo.status()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the management API answers as usual")
                        .isLessThan(Duration.ofSeconds(2));
                assertThat(admin.get("/actuator/health/readiness").status()).isEqualTo(200);
            }
            for (int i = 0; i < QUIET; i++) {
                quiet.get(i).sendLine("still here " + i);
                assertThat(quiet.get(i).readLine()).isEqualTo("still here " + i);
            }
            String prometheus = admin.get("/actuator/prometheus").body();
            assertThat(prometheus).contains("gateway_connections_closed_total{listener=\"chat\",reason=\"rejected\"} " + refused.size() + ".0")
                    .contains("gateway_inbound_sockets_max " + (OPEN_FILES - 256) + ".0");
            assertThat(gateway.output()).doesNotContain("Too many open files").doesNotContain("could not accept")
                    .contains("connection(s) as server full: the process is down to its reserved file descriptors");
            flood.forEach(TcpTestClient::close);
            TcpTestClient late = await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> echoingClient(port),
                    (client) -> client != null);
            late.close();
        }
        finally {
            quiet.forEach(TcpTestClient::close);
            flood.forEach(TcpTestClient::close);
        }
    }

    /** {@code count} clients, each answered once: connections the gateway holds before the flood. */
    private static List<TcpTestClient> echoingClients(int port, int count) {
        List<TcpTestClient> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TcpTestClient client = TcpTestClient.connect(port);
            clients.add(client);
            client.sendLine("hello " + i);
            assertThat(client.readLine()).isEqualTo("hello " + i);
        }
        return clients;
    }

    private static TcpTestClient echoingClient(int port) {
        TcpTestClient client = TcpTestClient.connect(port);
        client.sendLine("new");
        if (!client.readLine().equals("new")) {
            client.close();
            return null;
        }
        return client;
    }

    private static double acceptErrors(String prometheus) {
        Matcher matcher = ACCEPT_ERRORS.matcher(prometheus);
        assertThat(matcher.find()).as("gateway_accept_errors_total in\n" + prometheus).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    private static Socket connectRaw(int port) {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            return socket;
        }
        catch (IOException ex) {
            closeQuietly(socket);
            throw new IllegalStateException("flood connection failed", ex);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        }
        catch (IOException ignored) {
            // closing a test socket
        }
    }
}
