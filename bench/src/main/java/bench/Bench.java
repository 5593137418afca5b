package bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's entry point. Every scenario runs against every server in the same run, servers
 * alternating round by round, so machine noise hits them alike; results are medians.
 *
 * <pre>
 * java -jar bench/target/bench.jar compare [--rounds 2] [--seconds 10] [--idle 10000] [--churn 100000] [--only echo,echo-native,latency,latency-native]
 *                                          [--jvm "-XX:MaxRAM=1g"] (extra flags for both servers, e.g. to act
 *                                          as a 1 GiB pod)
 * java -jar bench/target/bench.jar edge [--rounds 2] [--churn 30000] (churn under PROXY protocol, per-source limit, flapping)
 * java -jar bench/target/bench.jar auth [--rounds 2] [--churn 30000] [--seconds 10] (auth: token on churn and on echo)
 * java -jar bench/target/bench.jar cluster [--rounds 2] [--seconds 10] [--receivers 100] [--jvm "..."]
 * java -jar bench/target/bench.jar principals [--rounds 2] [--churn 5000] [--messages 2000] (login churn, POST to frame)
 * java -jar bench/target/bench.jar forward [--rounds 2] [--seconds 10] [--connections 50] [--args "--spring.kafka.producer.properties.linger.ms=0"]
 *                                          (Kafka: throughput, latency, CPU beside echo; extra gateway arguments)
 * java -jar bench/target/bench.jar startup [--runs 5] [--gateway-aot-jar J --bare-aot-jar J] (to readiness, beside bare Boot;
 *                                          the AOT jars built with -Paot, see docs/benchmark.md "Start-up")
 * java -jar bench/target/bench.jar growth [--counts 1000,5000,10000,19000] [--seconds 20] (cost of quiet connections)
 * java -jar bench/target/bench.jar io-model [--rounds 2] [--idle 10000] [--seconds 8]
 * </pre>
 */
public final class Bench {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String command = args.length > 0 ? args[0] : "compare";
        if (command.equals("hold")) { // hold N idle connections open until killed, for profiling a server
            IdleLoad.hold(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            return;
        }
        if (command.equals("chart")) { // redraw results/benchmark.png from results/benchmark.tsv
            Report.fromCsv(java.nio.file.Files.readAllLines(Path.of("results", "benchmark.tsv")))
                    .chart(Path.of("results", "benchmark.png"));
            return;
        }
        if (command.equals("compare")) {
            Comparison.run(Integer.parseInt(options.getOrDefault("rounds", "2")),
                    Double.parseDouble(options.getOrDefault("seconds", "10")),
                    Integer.parseInt(options.getOrDefault("idle", "10000")),
                    Integer.parseInt(options.getOrDefault("churn", "100000")),
                    Path.of(options.getOrDefault("gateway-jar", "../target/tcp-gateway.jar")),
                    options.getOrDefault("only", ""), options.getOrDefault("jvm", Comparison.DEFAULT_EXTRA_FLAGS));
            return;
        }
        if (command.equals("edge")) {
            EdgeBench.run(Integer.parseInt(options.getOrDefault("rounds", "2")),
                    Integer.parseInt(options.getOrDefault("churn", "30000")),
                    Path.of(options.getOrDefault("gateway-jar", "../target/tcp-gateway.jar")),
                    options.getOrDefault("jvm", Comparison.DEFAULT_EXTRA_FLAGS));
            return;
        }
        if (command.equals("auth")) {
            AuthBench.run(Integer.parseInt(options.getOrDefault("rounds", "2")),
                    Integer.parseInt(options.getOrDefault("churn", "30000")),
                    Double.parseDouble(options.getOrDefault("seconds", "10")),
                    Path.of(options.getOrDefault("gateway-jar", "../target/tcp-gateway.jar")));
            return;
        }
        if (command.equals("cluster")) { // broadcast on one gateway vs two joined through Redis
            ClusterBench.run(Integer.parseInt(options.getOrDefault("rounds", "2")),
                    Double.parseDouble(options.getOrDefault("seconds", "10")),
                    Integer.parseInt(options.getOrDefault("receivers", "100")),
                    Path.of(options.getOrDefault("gateway-jar", "../target/tcp-gateway.jar")),
                    options.getOrDefault("jvm", ""));
            return;
        }
        if (command.equals("principals")) { // login churn with duplicate-principal, POST to frame across pods
            PrincipalBench.run(Integer.parseInt(options.getOrDefault("rounds", "2")),
                    Integer.parseInt(options.getOrDefault("churn", "5000")),
                    Integer.parseInt(options.getOrDefault("messages", "2000")),
                    Path.of(options.getOrDefault("gateway-jar", "../target/tcp-gateway.jar")));
            return;
        }
        if (command.equals("forward")) { // frames into Kafka beside echo, with a local broker
            ForwardBench.run(Integer.parseInt(options.getOrDefault("rounds", "2")),
                    Double.parseDouble(options.getOrDefault("seconds", "10")),
                    Integer.parseInt(options.getOrDefault("connections", "50")),
                    Path.of(options.getOrDefault("gateway-jar", "../target/tcp-gateway.jar")), options.getOrDefault("args", ""));
            return;
        }
        if (command.equals("growth")) { // RSS, heap, heartbeat CPU and echo latency at 1k..19k quiet connections
            GrowthBench.run(java.util.Arrays.stream(options.getOrDefault("counts", "1000,5000,10000,19000").split(","))
                    .map(Integer::valueOf).toList(), Double.parseDouble(options.getOrDefault("seconds", "20")),
                    Path.of(options.getOrDefault("gateway-jar", "../target/tcp-gateway.jar")));
            return;
        }
        if (command.equals("startup")) { // to readiness, beside a bare Boot web + actuator service
            String gatewayAot = options.get("gateway-aot-jar");
            String bareAot = options.get("bare-aot-jar");
            StartupBench.run(Integer.parseInt(options.getOrDefault("runs", "5")),
                    Path.of(options.getOrDefault("gateway-jar", "../target/tcp-gateway.jar")),
                    Path.of(options.getOrDefault("bare-jar", "bare/target/bare-boot.jar")),
                    gatewayAot == null ? null : Path.of(gatewayAot), bareAot == null ? null : Path.of(bareAot));
            return;
        }
        if (!command.equals("io-model")) {
            throw new IllegalArgumentException("unknown command " + command
                    + " (compare, edge, auth, cluster, principals, forward, startup, growth, io-model, hold, chart)");
        }
        ioModel(Integer.parseInt(options.getOrDefault("rounds", "2")),
                Integer.parseInt(options.getOrDefault("idle", "10000")),
                Double.parseDouble(options.getOrDefault("seconds", "8")),
                Path.of(options.getOrDefault("gateway-jar", "../target/tcp-gateway.jar")));
    }

    /** The candidates for the gateway's I/O model: the gateway as built and the stock Spring Integration servers. */
    static void ioModel(int rounds, int idle, double seconds, Path gatewayJar) throws Exception {
        List<String> servers = List.of("gateway", "si-net-vt", "si-net-pool", "si-nio");
        Map<String, List<Double>> echo = new LinkedHashMap<>();
        Map<String, List<Double>> memory = new LinkedHashMap<>();
        Map<String, List<Double>> silent = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (String name : servers) {
                int port = ServerProcess.freePort();
                try (ServerProcess server = ServerProcess.start(name, command(name, port, gatewayJar), port)) {
                    int echoPort = port;
                    double fps = attempt(() -> EchoLoad.run(echoPort, 50, 8, 32, 3, seconds), name, "echo");
                    double perConnection = attempt(() -> IdleLoad.residentBytesPerConnection(echoPort, idle, server.pid(),
                            true), name, "idle after hello");
                    echo.computeIfAbsent(name, (k) -> new ArrayList<>()).add(fps);
                    memory.computeIfAbsent(name, (k) -> new ArrayList<>()).add(perConnection);
                    System.out.printf(Locale.ROOT, "round %d %-12s echo %,10.0f frames/s   idle %,8.0f bytes/connection%n",
                            round, name, fps, perConnection);
                }
                port = ServerProcess.freePort(); // a fresh server: what the previous scenario left behind does not count
                try (ServerProcess server = ServerProcess.start(name, command(name, port, gatewayJar), port)) {
                    int silentPort = port;
                    double perConnection = attempt(() -> IdleLoad.residentBytesPerConnection(silentPort, idle,
                            server.pid(), false), name, "idle silent");
                    silent.computeIfAbsent(name, (k) -> new ArrayList<>()).add(perConnection);
                    System.out.printf(Locale.ROOT, "round %d %-12s silent idle %,8.0f bytes/connection%n", round, name,
                            perConnection);
                }
            }
        }
        StringBuilder table = new StringBuilder();
        table.append("| server | echo frames/s (50 conn × 8 in flight, 32 B) | vs gateway | RSS per idle connection, after one echo (")
                .append(idle).append(") | RSS per silent connection (").append(idle)
                .append(") |\n| --- | ---: | ---: | ---: | ---: |\n");
        double gatewayEcho = median(echo.get("gateway"));

        for (String name : servers) {
            double fps = median(echo.get(name));
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", name,
                    Double.isNaN(fps) ? "failed" : String.format(Locale.ROOT, "%,.0f", fps),
                    Double.isNaN(fps) ? "–" : String.format(Locale.ROOT, "%.2f×", fps / gatewayEcho),
                    kilobytes(median(memory.get(name))), kilobytes(median(silent.get(name)))));
        }
        System.out.println();
        System.out.println(table);
        Files.createDirectories(Path.of("results"));
        Files.writeString(Path.of("results", "io-model.md"), table);
    }

    static String kilobytes(double bytes) {
        return Double.isNaN(bytes) ? "failed (out of memory)" : String.format(Locale.ROOT, "%,.1f KB", bytes / 1024);
    }

    interface Measurement {
        double run() throws Exception;
    }

    /** A server that falls over under a scenario (e.g. out of memory) is reported as failed, not fatal. */
    static double attempt(Measurement measurement, String server, String scenario) {
        try {
            return measurement.run();
        }
        catch (Exception failure) {
            System.out.printf("%s failed %s: %s (see target/server-%s.log)%n", server, scenario, failure, server);
            return Double.NaN;
        }
    }

    static List<String> command(String name, int port, Path gatewayJar) {
        return switch (name) {
            case "gateway" -> ServerProcess.java("-jar", gatewayJar.toString(), "--server.port=0",
                    "--gateway.listeners[0].name=bench", "--gateway.listeners[0].port=" + port,
                    "--gateway.listeners[0].mode=echo", "--gateway.listeners[0].max-connections=100000",
                    "--logging.level.io.tcpgateway.connection=warn");
            default -> ServerProcess.java("-cp", Path.of("target", "bench.jar").toString(), "bench.StockSiServer",
                    name.substring(3), String.valueOf(port));
        };
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().filter((v) -> !Double.isNaN(v)).sorted().toList();
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int middle = sorted.size() / 2;
        return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }
}
