package bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import redis.embedded.RedisServer;

/**
 * What principals cost (CONTRACT section 14), two gateways joined through one Redis:
 * <ul>
 * <li>login churn on an {@code auth: token} listener (connect, {@code AUTH} and one frame in one write, {@code OK}
 * and the echo, close; always the same principal) with {@code duplicate-principal: allow} and {@code replace}, each
 * login of the latter holding the Redis key and asking the other pod;</li>
 * <li>the time from {@code POST /actuator/principals/{p}} on pod A to the frame at a client of that principal on pod B,
 * beside the same call made to pod B itself.</li>
 * </ul>
 * Setups alternate round by round; medians. Writes {@code results/principals.md}.
 */
final class PrincipalBench {

    private static final String TOKEN = "bench-token-0123456789abcdef";
    private static final String PASSWORD = "bench-admin";

    private PrincipalBench() {
    }

    static void run(int rounds, int cycles, int messages, Path gatewayJar) throws Exception {
        byte[] login = ("AUTH " + TOKEN + "\n").getBytes(StandardCharsets.US_ASCII);
        int redisPort = ServerProcess.freePort();
        RedisServer redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1").setting("save \"\"").build();
        redis.start();
        Map<String, List<Double>> churn = new LinkedHashMap<>();
        Map<String, List<Double>> p50 = new LinkedHashMap<>();
        Map<String, List<Double>> p99 = new LinkedHashMap<>();
        try {
            for (int round = 1; round <= rounds; round++) {
                for (String policy : (round % 2 == 1) ? List.of("allow", "replace") : List.of("replace", "allow")) {
                    Node a = Node.start(gatewayJar, "node-a", redisPort, policy);
                    Node b = Node.start(gatewayJar, "node-b", redisPort, policy);
                    try (a.process; b.process) {
                        Thread.sleep(2000); // both subscribed (the subscription starts in the background)
                        ChurnLoad.Result result = ChurnLoad.run(a.port, cycles, a.process.pid(), login, 3);
                        churn.computeIfAbsent(policy, (k) -> new ArrayList<>()).add(result.cyclesPerSecond());
                        System.out.printf(Locale.ROOT, "round %d %-8s login churn %,8.0f cycles/s%n", round, policy,
                                result.cyclesPerSecond());
                        if (policy.equals("allow")) {
                            Node alone = Node.start(gatewayJar, "alone", 0, "allow"); // for what the cluster adds
                            try (alone.process) {
                                record("one pod, no cluster", postToFrame(alone, alone, login, messages), round, p50, p99);
                            }
                            for (Node caller : List.of(a, b)) {
                                record((caller == a) ? "POST on pod A, client on pod B" : "POST on pod B, client on pod B",
                                        postToFrame(caller, b, login, messages), round, p50, p99);
                            }
                        }
                    }
                }
            }
        }
        finally {
            redis.stop();
        }
        double allow = Bench.median(churn.get("allow"));
        StringBuilder markdown = new StringBuilder(String.format(Locale.ROOT, "Run on %s: 2 cores, loopback, both gateways, "
                + "Redis and the load generator on the same machine; %d rounds, setups alternating, medians.%n%n"
                + "Login churn on pod A, cluster on: %,d cycles of connect, AUTH and one frame in one write, OK and its echo, "
                + "close; the same principal every time.%n%n| duplicate-principal | cycles/s | vs allow |%n| --- | ---: | ---: |%n",
                LocalDate.now(), rounds, cycles));
        for (String policy : churn.keySet()) {
            double value = Bench.median(churn.get(policy));
            markdown.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f× |%n", policy, value, value / allow));
        }
        markdown.append(String.format(Locale.ROOT, "%nFrom sending `POST /actuator/principals/{p}` (HTTP/1.1 kept alive, Basic "
                + "auth) to the frame read by the principal's client (the HTTP answer may come later); %,d messages one after "
                + "another.%n%n"
                + "| setup | p50 | p99 |%n| --- | ---: | ---: |%n", messages));
        for (String setup : p50.keySet()) {
            markdown.append(String.format(Locale.ROOT, "| %s | %,.0f µs | %,.0f µs |%n", setup, Bench.median(p50.get(setup)),
                    Bench.median(p99.get(setup))));
        }
        System.out.println();
        System.out.println(markdown);
        Report.write(Path.of("results", "principals.md"), markdown.toString());
    }

    private static void record(String setup, Histogram latency, int round, Map<String, List<Double>> p50,
            Map<String, List<Double>> p99) {
        p50.computeIfAbsent(setup, (k) -> new ArrayList<>()).add(latency.getValueAtPercentile(50) / 1000.0);
        p99.computeIfAbsent(setup, (k) -> new ArrayList<>()).add(latency.getValueAtPercentile(99) / 1000.0);
        System.out.printf(Locale.ROOT, "round %d %s: p50 %,.0f µs, p99 %,.0f µs%n", round, setup,
                latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0);
    }

    /** A client of the principal logged in on {@code holder}; each message POSTed to {@code caller}, timed to its arrival. */
    private static Histogram postToFrame(Node caller, Node holder, byte[] login, int messages) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String authorization = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        Histogram latency = new Histogram(3_600_000_000_000L, 3);
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", holder.port), 5000);
            client.setSoTimeout(10_000);
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            out.write(login);
            readLine(in); // OK
            URI uri = URI.create("http://127.0.0.1:" + caller.managementPort + "/actuator/principals/bench");
            for (int i = -200; i < messages; i++) { // the first 200 warm up
                String message = "m" + i;
                HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", authorization)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"" + message + "\"}")).build();
                long start = System.nanoTime();
                var answering = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
                String line = readLine(in); // timed to the frame, whether or not the HTTP answer has come yet
                long took = System.nanoTime() - start;
                HttpResponse<String> answer = answering.get();
                if (answer.statusCode() != 200 || !line.equals(message)) {
                    throw new IllegalStateException("POST answered " + answer.statusCode() + " " + answer.body() + ", read " + line);
                }
                if (i >= 0) {
                    latency.recordValue(took);
                }
            }
        }
        return latency;
    }

    private static String readLine(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IllegalStateException("closed after " + line);
            }
            line.append((char) b);
        }
        return line.toString();
    }

    /** One gateway: its listener's port and its management port; in the cluster unless {@code redisPort} is 0. */
    private record Node(ServerProcess process, int port, int managementPort) {

        static Node start(Path jar, String nodeId, int redisPort, String policy) throws Exception {
            int port = ServerProcess.freePort();
            int management = ServerProcess.freePort();
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(TOKEN.getBytes(StandardCharsets.US_ASCII)));
            List<String> command = new ArrayList<>(ServerProcess.java());
            command.addAll(Comparison.JVM_FLAGS);
            command.addAll(List.of("-jar", jar.toString(), "--server.port=" + management, "--gateway.admin.password=" + PASSWORD,
                    "--gateway.listeners[0].name=bench", "--gateway.listeners[0].port=" + port,
                    "--gateway.listeners[0].mode=echo", "--gateway.listeners[0].max-connections=100000",
                    "--gateway.listeners[0].auth=token", "--gateway.auth.tokens.bench=" + hash,
                    "--gateway.listeners[0].duplicate-principal=" + policy,
                    "--logging.level.io.tcpgateway.connection=warn", "--logging.level.io.tcpgateway.listener=warn"));
            if (redisPort != 0) {
                command.addAll(List.of("--gateway.cluster.enabled=true", "--gateway.cluster.node-id=" + nodeId,
                        "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redisPort));
            }
            return new Node(ServerProcess.start(nodeId + "-" + policy, command, port), port, management);
        }
    }
}
