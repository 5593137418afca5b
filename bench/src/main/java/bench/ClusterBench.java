package bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import redis.embedded.RedisServer;

/**
 * Broadcast across pods: one sender with 8 frames in flight and N receivers, on one gateway (no
 * cluster) and on two gateways joined through one Redis with the receivers split between them (the
 * sender on the first), with the Java load generator and with the native one. Deliveries/s count a frame once every receiver has it, whichever pod it is on.
 */
final class ClusterBench {

    /**
     * Long enough for C2 to have compiled the cluster path: with a 3 s warm-up a C2 compiler thread of the
     * sending pod still took over a quarter of the machine (perf) during the measurement, and two pods read
     * 0.35-0.47× of one instead of 0.63-0.75×. The same warm-up for one node, so the ratio stays fair.
     */
    private static final double WARMUP_SECONDS = 12;

    /** Added to every gateway's flags ({@code --jvm}), e.g. a flight recording. */
    private static final List<String> EXTRA_FLAGS = new ArrayList<>();

    private ClusterBench() {
    }

    static void run(int rounds, double seconds, int receivers, Path gatewayJar, String extraJvmFlags) throws Exception {
        if (!extraJvmFlags.isBlank()) {
            EXTRA_FLAGS.addAll(List.of(extraJvmFlags.trim().split("\\s+")));
        }
        int redisPort = ServerProcess.freePort();
        RedisServer redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1").setting("save \"\"").build();
        redis.start();
        Map<String, List<Double>> deliveries = new LinkedHashMap<>();
        Map<String, List<Double>> p99 = new LinkedHashMap<>();
        try {
            for (int round = 1; round <= rounds; round++) {
                for (boolean nativeGenerator : new boolean[] { false, true }) {
                    String generator = nativeGenerator ? ", native generator" : "";
                    int port = ServerProcess.freePort();
                    try (ServerProcess one = ServerProcess.start("one-node", gateway(gatewayJar, port, null, redisPort), port)) {
                        record("one node" + generator, load(nativeGenerator, List.of(port), port, receivers, seconds),
                                deliveries, p99);
                    }
                    int portA = ServerProcess.freePort();
                    int portB = ServerProcess.freePort();
                    try (ServerProcess a = ServerProcess.start("node-a", gateway(gatewayJar, portA, "node-a", redisPort), portA);
                            ServerProcess b = ServerProcess.start("node-b", gateway(gatewayJar, portB, "node-b", redisPort), portB)) {
                        Thread.sleep(2000); // both subscribed (the subscription starts in the background)
                        record("two nodes" + generator, load(nativeGenerator, List.of(portA, portB), portA, receivers, seconds),
                                deliveries, p99);
                    }
                }
            }
        }
        finally {
            redis.stop();
        }

        StringBuilder table = new StringBuilder();
        table.append("Run on ").append(LocalDate.now()).append(": 2 cores, loopback, load generator, both gateways and ")
                .append("Redis on the same machine; ").append(rounds).append(" rounds, ").append((int) seconds)
                .append(" s each after a ").append((int) WARMUP_SECONDS).append(" s warm-up, medians. Broadcast, ").append(receivers)
                .append(" receivers, 1 sender with 8 frames in flight; two nodes: receivers split evenly, sender on node A.\n\n")
                .append("| setup | deliveries/s | vs one node | completion p99 |\n| --- | ---: | ---: | ---: |\n");
        for (String setup : deliveries.keySet()) {
            double oneNode = Bench.median(deliveries.get(setup.replace("two nodes", "one node")));
            double value = Bench.median(deliveries.get(setup));
            table.append(String.format(Locale.ROOT, "| %s | %,.0f/s | %.2f× | %,.1f µs |%n", setup, value, value / oneNode,
                    Bench.median(p99.get(setup)) / 1000.0));
        }
        System.out.println();
        System.out.println(table);
        Files.createDirectories(Path.of("results"));
        Files.writeString(Path.of("results", "cluster.md"), table);
    }

    /** {deliveries/s, completion p99 in ns} from the Java generator or the native one. */
    private static double[] load(boolean nativeGenerator, List<Integer> receiverPorts, int senderPort, int receivers,
            double seconds) throws Exception {
        if (nativeGenerator) {
            return NativeLoad.broadcast(receiverPorts, senderPort, receivers, 1, 8, WARMUP_SECONDS, seconds);
        }
        BroadcastLoad.Result result = BroadcastLoad.run(receiverPorts, senderPort, receivers, 1, 8, WARMUP_SECONDS, seconds);
        return new double[] { result.deliveriesPerSecond(), result.completion().getValueAtPercentile(99) };
    }

    private static void record(String setup, double[] result, Map<String, List<Double>> deliveries,
            Map<String, List<Double>> p99) {
        deliveries.computeIfAbsent(setup, (k) -> new ArrayList<>()).add(result[0]);
        p99.computeIfAbsent(setup, (k) -> new ArrayList<>()).add(result[1]);
        System.out.printf(Locale.ROOT, "%-30s %,.0f deliveries/s, completion p99 %,.1f µs%n", setup, result[0],
                result[1] / 1000.0);
    }

    private static List<String> gateway(Path jar, int port, String nodeId, int redisPort) {
        List<String> command = new ArrayList<>(ServerProcess.java(ImageFlags.read().toArray(String[]::new)));
        command.addAll(EXTRA_FLAGS);
        command.addAll(List.of("-jar", jar.toString(), "--server.port=0", "--gateway.listeners[0].name=bench",
                "--gateway.listeners[0].port=" + port, "--gateway.listeners[0].mode=broadcast",
                "--gateway.listeners[0].max-connections=100000", "--logging.level.io.tcpgateway.connection=warn"));
        if (nodeId != null) {
            command.addAll(List.of("--gateway.cluster.enabled=true", "--gateway.cluster.node-id=" + nodeId,
                    "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redisPort));
        }
        return command;
    }
}
