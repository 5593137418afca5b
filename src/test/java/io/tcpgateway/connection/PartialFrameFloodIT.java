package io.tcpgateway.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.support.AdminClient;
import io.tcpgateway.support.GatewayProcess;
import io.tcpgateway.support.TcpTestClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, item 1, as the attack run met it: the gateway in its own process with a small heap that
 * ends the process on the first OutOfMemoryError, and thousands of unauthenticated connections that
 * each send most of a long line, or only a length prefix announcing 64 KiB. Before the inbound budget
 * this was some 330 MB of partial frames in a 256 MB heap: the process died and took every good client
 * with it. Now the partial frames stay within {@code gateway.inbound.max-buffered-bytes} (a quarter of
 * the heap), the connections that want more wait and are closed with {@code ERROR frame timeout}, and a
 * good client on each listener is answered every frame, in order, throughout.
 */
class PartialFrameFloodIT {

    static final int PER_LISTENER = 2_500;
    static final Pattern METRIC = Pattern.compile("(?m)^(\\w+)(\\{[^}]*})? ([0-9.eE+-]+)$");

    @Test
    void thousandsOfPartialFramesNeverRunTheProcessOutOfMemoryAndGoodClientsAreServed() throws Exception {
        List<Socket> attackers = new ArrayList<>();
        try (GatewayProcess gateway = GatewayProcess.start(Map.of("GATEWAY_ADMIN_PASSWORD", "test-secret",
                "JDK_JAVA_OPTIONS", "-Xmx256m -XX:+ExitOnOutOfMemoryError"),
                "--gateway.listeners[0].name=lines", "--gateway.listeners[0].port=0", "--gateway.listeners[0].mode=echo",
                "--gateway.listeners[1].name=binary", "--gateway.listeners[1].port=0", "--gateway.listeners[1].mode=echo",
                "--gateway.listeners[1].framing=length-prefix", "--gateway.inbound.frame-timeout=10s",
                "--logging.level.io.tcpgateway.connection.PeerRegistry=WARN");
                EchoChecker lineClient = new EchoChecker(gateway.awaitListenerPort("lines"), false);
                EchoChecker binaryClient = new EchoChecker(gateway.awaitListenerPort("binary"), true)) {
            AdminClient admin = AdminClient.as(gateway.awaitHttpPort(), "admin", "test-secret");
            int lines = gateway.awaitListenerPort("lines");
            int binary = gateway.awaitListenerPort("binary");
            byte[] almostALine = new byte[60_000];
            Arrays.fill(almostALine, (byte) 'x');
            byte[] onlyAPrefix = { 0, 1, 0, 0 }; // announces 65 536 bytes
            for (int i = 0; i < PER_LISTENER; i++) {
                attackers.add(attacker(lines, almostALine));
                attackers.add(attacker(binary, onlyAPrefix));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> metric(admin, "gateway_inbound_memory_waiting") > 0);
            assertThat(metric(admin, "gateway_inbound_buffered")).as("within the budget")
                    .isLessThanOrEqualTo(metric(admin, "gateway_inbound_buffered_max"));
            assertThat(metric(admin, "gateway_inbound_buffered_max")).as("a quarter of a 256 MB heap")
                    .isBetween(40e6, 70e6);
            long servedDuringTheAttack = lineClient.echoed() + binaryClient.echoed();

            await().atMost(Duration.ofSeconds(90)).until(() -> metric(admin, "gateway_connections_closed_total",
                    "reason=\"frame-timeout\"") >= 2 * PER_LISTENER);
            await().atMost(Duration.ofSeconds(30)).until(() -> metric(admin, "gateway_inbound_buffered") == 0);
            Socket sample = attackers.get(0);
            sample.setSoTimeout(10_000);
            assertThat(new String(sample.getInputStream().readNBytes(20), StandardCharsets.US_ASCII))
                    .isEqualTo("ERROR frame timeout\n");

            assertThat(gateway.process().isAlive()).as(gateway.output()).isTrue();
            assertThat(gateway.output()).doesNotContain("java.lang.OutOfMemoryError");
            for (EchoChecker good : List.of(lineClient, binaryClient)) {
                assertThat(good.problem()).isNull();
                assertThat(good.longestWait()).as("every frame answered, none held for long")
                        .isLessThan(Duration.ofSeconds(10));
            }
            long servedAfter = lineClient.echoed() + binaryClient.echoed();
            await().atMost(Duration.ofSeconds(10)).until(() -> lineClient.echoed() + binaryClient.echoed() > servedAfter + 10);
            System.out.printf("PartialFrameFloodIT: %d attackers closed as frame-timeout; good clients echoed %d frames"
                    + " during the attack and %d in all, longest wait %s%n", 2 * PER_LISTENER, servedDuringTheAttack,
                    lineClient.echoed() + binaryClient.echoed(), lineClient.longestWait().compareTo(binaryClient.longestWait()) > 0
                            ? lineClient.longestWait() : binaryClient.longestWait());
        }
        finally {
            for (Socket attacker : attackers) {
                attacker.close();
            }
        }
    }

    private static Socket attacker(int port, byte[] sends) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        OutputStream out = socket.getOutputStream();
        out.write(sends); // fits the kernel's buffers: never blocks, even while the gateway does not read
        out.flush();
        return socket;
    }

    /** The sum of a Prometheus series (over its labels, those containing {@code labelFilter} when given). */
    private static double metric(AdminClient admin, String name, String... labelFilter) {
        Matcher matcher = METRIC.matcher(admin.get("/actuator/prometheus").body());
        double sum = 0;
        while (matcher.find()) {
            String labels = (matcher.group(2) != null) ? matcher.group(2) : "";
            if (matcher.group(1).equals(name) && (labelFilter.length == 0 || labels.contains(labelFilter[0]))) {
                sum += Double.parseDouble(matcher.group(3));
            }
        }
        return sum;
    }

    /** A good client: sends a numbered frame, checks that exactly it comes back, and goes on until closed. */
    static final class EchoChecker implements AutoCloseable {

        private final TcpTestClient client;
        private final boolean lengthPrefixed;
        private final Thread thread;
        private final AtomicLong echoed = new AtomicLong();
        private final AtomicLong longestWaitNanos = new AtomicLong();
        private final AtomicReference<String> problem = new AtomicReference<>();
        private volatile boolean stopped;

        EchoChecker(int port, boolean lengthPrefixed) {
            this.client = TcpTestClient.connect(port);
            this.lengthPrefixed = lengthPrefixed;
            this.thread = Thread.ofPlatform().daemon().name("good-client").start(this::run);
        }

        private void run() {
            for (long n = 0; !stopped; n++) {
                String frame = "good " + n;
                long started = System.nanoTime();
                try {
                    String answer;
                    if (lengthPrefixed) {
                        client.sendLengthPrefixed(frame.getBytes(StandardCharsets.US_ASCII));
                        answer = new String(client.readLengthPrefixed(), StandardCharsets.US_ASCII);
                    }
                    else {
                        client.sendLine(frame);
                        answer = client.readLine();
                    }
                    if (!frame.equals(answer)) {
                        problem.compareAndSet(null, "sent '" + frame + "', got '" + answer + "'");
                        return;
                    }
                }
                catch (RuntimeException ex) {
                    if (!stopped) {
                        problem.compareAndSet(null, "after " + echoed.get() + " frames: " + ex);
                    }
                    return;
                }
                longestWaitNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
                echoed.incrementAndGet();
            }
        }

        long echoed() {
            return echoed.get();
        }

        Duration longestWait() {
            return Duration.ofNanos(longestWaitNanos.get());
        }

        String problem() {
            return problem.get();
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            client.close();
            thread.join(10_000);
        }
    }
}
