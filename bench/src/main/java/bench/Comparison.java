package bench;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * The gateway against the plain Netty baseline: every scenario on both servers in the same run,
 * alternating which goes first round by round, each on a freshly started server. Medians of the rounds.
 */
final class Comparison {

    static final List<String> SERVERS = List.of("gateway", "netty");
    /**
     * Extra flags for both servers by default: none, the whole machine's memory. {@code --jvm -XX:MaxRAM=1g}
     * makes both act as the chart's default pod (1 GiB limit); the JVM then also picks the Serial
     * collector there (under 2 GB), which changes the throughput comparison, not just the heap size.
     */
    static final String DEFAULT_EXTRA_FLAGS = "";

    /** The image's flags (JAVA_TOOL_OPTIONS in the Dockerfile), for both servers. */
    static final List<String> JVM_FLAGS = new java.util.ArrayList<>(ImageFlags.read());

    private final Map<String, Map<String, List<Double>>> figures = new LinkedHashMap<>();
    private final Map<String, List<ChurnLoad.Result>> churn = new LinkedHashMap<>();
    private final Path gatewayJar;

    private Comparison(Path gatewayJar) {
        this.gatewayJar = gatewayJar;
    }

    /** @param extraJvmFlags added to both servers' flags, e.g. {@code -XX:MaxRAM=1g} to act as a 1 GiB pod */
    static void run(int rounds, double seconds, int idle, int churnCycles, Path gatewayJar, String only,
            String extraJvmFlags) throws Exception {
        if (!extraJvmFlags.isBlank()) {
            JVM_FLAGS.addAll(List.of(extraJvmFlags.trim().split("\\s+")));
        }
        Comparison comparison = new Comparison(gatewayJar);
        Set<String> scenarios = only.isBlank() ? Set.of("echo", "echo-native", "latency", "latency-native", "broadcast",
                "broadcast-native", "idle", "churn")
                : Set.of(only.split(","));
        for (int round = 1; round <= rounds; round++) {
            List<String> order = (round % 2 == 1) ? SERVERS : SERVERS.reversed();
            for (String server : order) {
                if (scenarios.contains("echo")) {
                    comparison.echo(server, seconds);
                }
                if (scenarios.contains("echo-native")) {
                    comparison.echoNative(server, seconds);
                }
                if (scenarios.contains("latency")) {
                    comparison.latency(server);
                }
                if (scenarios.contains("latency-native")) {
                    comparison.latencyNative(server);
                }
                if (scenarios.contains("broadcast")) {
                    comparison.broadcast(server, 100, 1, seconds);
                    comparison.broadcast(server, 1000, 4, seconds);
                }
                if (scenarios.contains("broadcast-native")) {
                    comparison.broadcastNative(server, 100, 1, seconds);
                    comparison.broadcastNative(server, 1000, 4, seconds);
                }
                if (scenarios.contains("idle")) {
                    comparison.idle(server, idle);
                }
                if (scenarios.contains("churn")) {
                    comparison.churn(server, churnCycles);
                }
            }
        }
        comparison.report(rounds, seconds, idle, churnCycles);
    }

    private void echo(String server, double seconds) throws Exception {
        try (ServerProcess process = start(server, "echo")) {
            record(server, "echo|frames/s", EchoLoad.run(process.port, 50, 8, 32, 3, seconds));
        }
    }

    private void latency(String server) throws Exception {
        try (ServerProcess process = start(server, "echo")) {
            Histogram histogram = LatencyLoad.run(process.port, 50_000, 200_000);
            record(server, "echo latency|p50", histogram.getValueAtPercentile(50));
            record(server, "echo latency|p99", histogram.getValueAtPercentile(99));
            record(server, "echo latency|p99.9", histogram.getValueAtPercentile(99.9));
        }
    }

    /** As {@link #echo}, with the native generator (one thread, epoll), which leaves the server its cores. */
    private void echoNative(String server, double seconds) throws Exception {
        try (ServerProcess process = start(server, "echo")) {
            record(server, "echo, native generator|frames/s", NativeLoad.echo(process.port, 50, 8, 32, 3, seconds));
        }
    }

    private void latencyNative(String server) throws Exception {
        try (ServerProcess process = start(server, "echo")) {
            double[] nanos = NativeLoad.latency(process.port, 50_000, 200_000, 32);
            record(server, "echo latency, native generator|p50", nanos[0]);
            record(server, "echo latency, native generator|p99", nanos[1]);
            record(server, "echo latency, native generator|p99.9", nanos[2]);
        }
    }

    private void broadcast(String server, int receivers, int senders, double seconds) throws Exception {
        try (ServerProcess process = start(server, "broadcast")) {
            BroadcastLoad.Result result = BroadcastLoad.run(process.port, receivers, senders, 8, 3, seconds);
            String scenario = "broadcast " + receivers + "×" + senders;
            record(server, scenario + "|deliveries/s", result.deliveriesPerSecond());
            record(server, scenario + "|completion p99", result.completion().getValueAtPercentile(99));
        }
    }

    private void broadcastNative(String server, int receivers, int senders, double seconds) throws Exception {
        try (ServerProcess process = start(server, "broadcast")) {
            double[] result = NativeLoad.broadcast(List.of(process.port), process.port, receivers, senders, 8, 3, seconds);
            String scenario = "broadcast " + receivers + "×" + senders + ", native generator";
            record(server, scenario + "|deliveries/s", result[0]);
            record(server, scenario + "|completion p99", result[1]);
        }
    }

    private void idle(String server, int connections) throws Exception {
        try (ServerProcess process = start(server, "echo")) {
            double[] perConnection = IdleLoad.bytesPerConnection(process.port, connections, process.pid(), true);
            record(server, "idle " + connections + "|RSS per connection", perConnection[0]);
            record(server, "idle " + connections + "|live heap per connection", perConnection[1]);
        }
    }

    private void churn(String server, int cycles) throws Exception {
        try (ServerProcess process = start(server, "echo")) {
            ChurnLoad.Result result = ChurnLoad.run(process.port, cycles, process.pid());
            churn.computeIfAbsent(server, (k) -> new ArrayList<>()).add(result);
            System.out.printf(Locale.ROOT, "%-8s churn: %,.0f cycles/s, live heap %s -> %s, open files %d -> %d%n", server,
                    result.cyclesPerSecond(), Report.format(result.heapBefore(), "MB"),
                    Report.format(result.heapAfter(), "MB"), result.filesBefore(), result.filesAfter());
        }
    }

    private void record(String server, String key, double value) {
        figures.computeIfAbsent(key, (k) -> new LinkedHashMap<>()).computeIfAbsent(server, (k) -> new ArrayList<>())
                .add(value);
        System.out.printf(Locale.ROOT, "%-8s %-40s %,.1f%n", server, key, value);
    }

    private ServerProcess start(String server, String mode) throws Exception {
        int port = ServerProcess.freePort();
        List<String> command = new ArrayList<>(ServerProcess.java());
        command.addAll(JVM_FLAGS);
        if (server.equals("gateway")) {
            command.addAll(List.of("-jar", gatewayJar.toString(), "--server.port=0",
                    "--gateway.listeners[0].name=bench", "--gateway.listeners[0].port=" + port,
                    "--gateway.listeners[0].mode=" + mode, "--gateway.listeners[0].max-connections=100000"));
        }
        else {
            command.addAll(List.of("-cp", Path.of("target", "bench.jar").toString(), "bench.NettyServer", mode,
                    String.valueOf(port)));
        }
        return ServerProcess.start(server + "-" + mode, command, port);
    }

    private void report(int rounds, double seconds, int idle, int churnCycles) throws Exception {
        Report report = new Report();
        row(report, "echo", "frames/s", "50 conn × 8 in flight", "/s", true, 1.0);
        row(report, "echo latency", "p50", "1 conn, 1 in flight", "µs", false, Double.NaN);
        row(report, "echo latency", "p99", "1 conn, 1 in flight", "µs", false, 1.2);
        row(report, "echo latency", "p99.9", "1 conn, 1 in flight", "µs", false, Double.NaN);
        row(report, "echo, native generator", "frames/s", "50 conn × 8 in flight", "/s", true, 1.1);
        row(report, "echo latency, native generator", "p50", "1 conn, 1 in flight", "µs", false, Double.NaN);
        row(report, "echo latency, native generator", "p99", "1 conn, 1 in flight", "µs", false, 1.0);
        row(report, "echo latency, native generator", "p99.9", "1 conn, 1 in flight", "µs", false, Double.NaN);
        for (String scenario : List.of("broadcast 100×1", "broadcast 1000×4", "broadcast 100×1, native generator",
                "broadcast 1000×4, native generator")) {
            row(report, scenario, "deliveries/s", "", "/s", true, 2.0);
            row(report, scenario, "completion p99", "", "µs", false, Double.NaN);
        }
        row(report, "idle " + idle, "RSS per connection", "", "KB", false, 1.5);
        row(report, "idle " + idle, "live heap per connection", "", "KB", false, 1.5);
        for (Map.Entry<String, List<ChurnLoad.Result>> entry : churn.entrySet()) {
            for (ChurnLoad.Result result : entry.getValue()) {
                report.note(String.format(Locale.ROOT,
                        "Churn (%,d connect/send/close cycles), %s: %,.0f cycles/s; live heap after GC %s → %s; open files %d → %d.",
                        churnCycles, entry.getKey(), result.cyclesPerSecond(), Report.format(result.heapBefore(), "MB"),
                        Report.format(result.heapAfter(), "MB"), result.filesBefore(), result.filesAfter()));
            }
        }
        String header = String.format(Locale.ROOT, "Run on %s: 2 cores, loopback, load generator on the same machine; "
                + "%d rounds, servers alternating, %.0f s per throughput measurement, medians. Both servers: %s "
                + "(the image's JVM flags, read from the Dockerfile). "
                + "Broadcast N×S: N receivers, S senders with 8 frames in flight each; a frame counts when all N have it. "
                + "Idle: RSS and live heap growth after a full GC, per connection, " + IdleLoad.QUIET_MILLIS / 1000.0
                + " s after the last hello, measured after " + IdleLoad.WARM_UP
                + " connections came and went (one-time class loading and compilation not counted).",
                LocalDate.now(), rounds, seconds, String.join(" ", JVM_FLAGS));
        String markdown = report.markdown(header);
        System.out.println();
        System.out.println(markdown);
        Report.write(Path.of("results", "benchmark.md"), markdown);
        Report.write(Path.of("results", "benchmark.tsv"), report.csv());
        report.chart(Path.of("results", "benchmark.png"));
    }

    private void row(Report report, String scenario, String metric, String detail, String unit, boolean higher,
            double target) {
        Map<String, List<Double>> byServer = figures.get(scenario + "|" + metric);
        if (byServer == null || !byServer.containsKey("gateway") || !byServer.containsKey("netty")) {
            return;
        }
        report.add(new Report.Row(detail.isEmpty() ? scenario : scenario + " (" + detail + ")", metric,
                Bench.median(byServer.get("gateway")), Bench.median(byServer.get("netty")), unit, higher, target));
    }
}
