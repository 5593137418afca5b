package bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What forwarding to Kafka costs (CONTRACT section 15), beside echo in the same run on the same gateway: a real
 * broker ({@code scripts/kafka-local.sh}, a child process on this machine) and one gateway with an {@code echo}
 * listener and a {@code forward-acks} one.
 * <ul>
 * <li>throughput: 50 connections, echo with 8 frames in flight each, forward with up to 64 frames not yet
 * acknowledged each (counted when acknowledged: stored by Kafka, {@code acks=all});</li>
 * <li>latency: one connection, one frame at a time: the echo's round trip, and from the frame to its {@code ACK};</li>
 * <li>CPU: the gateway's (and the broker's) CPU time per frame over each throughput run, from {@code /proc}.</li>
 * </ul>
 * Rounds alternate the order of the two; medians. Writes {@code results/forward.md}.
 */
final class ForwardBench {

    private ForwardBench() {
    }

    static void run(int rounds, double seconds, int connections, Path gatewayJar, String gatewayArgs) throws Exception {
        int kafkaPort = ServerProcess.freePort();
        Path data = Files.createTempDirectory("bench-kafka-");
        ProcessBuilder brokerCommand = new ProcessBuilder("bash", "scripts/kafka-local.sh", "start").redirectErrorStream(true)
                .redirectOutput(Path.of("target", "kafka-broker.log").toFile());
        brokerCommand.environment().putAll(Map.of("KAFKA_PORT", String.valueOf(kafkaPort),
                "KAFKA_CONTROLLER_PORT", String.valueOf(ServerProcess.freePort()), "KAFKA_DIR", data.toString()));
        Process broker = brokerCommand.start();
        Map<String, List<Double>> figures = new LinkedHashMap<>();
        try {
            awaitPort(kafkaPort, broker);
            for (int round = 1; round <= rounds; round++) {
                int echoPort = ServerProcess.freePort();
                int forwardPort = ServerProcess.freePort();
                List<String> command = new ArrayList<>(ServerProcess.java());
                command.addAll(Comparison.JVM_FLAGS);
                command.addAll(List.of("-jar", gatewayJar.toString(), "--server.port=0", "--gateway.admin.password=bench",
                        "--gateway.kafka.enabled=true", "--spring.kafka.bootstrap-servers=127.0.0.1:" + kafkaPort,
                        "--gateway.kafka.events-topic=", "--gateway.kafka.frames-topic=bench.frames",
                        "--gateway.listeners[0].name=echo", "--gateway.listeners[0].port=" + echoPort, "--gateway.listeners[0].mode=echo",
                        "--gateway.listeners[1].name=fwd", "--gateway.listeners[1].port=" + forwardPort,
                        "--gateway.listeners[1].mode=forward", "--gateway.listeners[1].forward-acks=true",
                        "--logging.level.io.tcpgateway.connection=warn"));
                if (!gatewayArgs.isBlank()) {
                    command.addAll(List.of(gatewayArgs.trim().split("\\s+")));
                }
                try (ServerProcess gateway = ServerProcess.start("forward-" + round, command, forwardPort)) {
                    ForwardLoad.latency(forwardPort, 200, 200); // the producer connected, the topic made, the JIT warm
                    List<String> order = (round % 2 == 1) ? List.of("echo", "forward") : List.of("forward", "echo");
                    for (String scenario : order) {
                        long gatewayCpu = cpuNanos(gateway.pid());
                        long brokerCpu = cpuNanos(broker.pid());
                        long t0 = System.nanoTime();
                        double rate = scenario.equals("echo")
                                ? EchoLoad.run(echoPort, connections, 8, 32, 2, seconds)
                                : ForwardLoad.run(forwardPort, connections, 64, 32, 2, seconds);
                        double frames = rate * (System.nanoTime() - t0) / 1e9; // the warm-up ran at about the same rate
                        add(figures, scenario + " frames/s", rate);
                        add(figures, scenario + " gateway CPU µs/frame", (cpuNanos(gateway.pid()) - gatewayCpu) / 1000.0 / frames);
                        add(figures, scenario + " broker CPU µs/frame", (cpuNanos(broker.pid()) - brokerCpu) / 1000.0 / frames);
                        System.out.printf(Locale.ROOT, "round %d %-8s %,10.0f frames/s%n", round, scenario, rate);
                    }
                    Histogram echo = LatencyLoad.run(echoPort, 2000, 5000);
                    Histogram forward = ForwardLoad.latency(forwardPort, 1000, 3000);
                    add(figures, "echo p50 µs", echo.getValueAtPercentile(50) / 1000.0);
                    add(figures, "echo p99 µs", echo.getValueAtPercentile(99) / 1000.0);
                    add(figures, "forward p50 µs", forward.getValueAtPercentile(50) / 1000.0);
                    add(figures, "forward p99 µs", forward.getValueAtPercentile(99) / 1000.0);
                    System.out.printf(Locale.ROOT, "round %d latency: echo p50 %,.0f µs p99 %,.0f µs; forward (to ACK) p50 %,.0f µs p99 %,.0f µs%n",
                            round, echo.getValueAtPercentile(50) / 1000.0, echo.getValueAtPercentile(99) / 1000.0,
                            forward.getValueAtPercentile(50) / 1000.0, forward.getValueAtPercentile(99) / 1000.0);
                }
            }
        }
        finally {
            broker.destroy();
            broker.waitFor();
        }
        StringBuilder markdown = new StringBuilder(String.format(Locale.ROOT, "Run on %s: 2 cores, loopback; the gateway, the "
                + "Kafka broker (one KRaft node, `scripts/kafka-local.sh`) and the load generator on the same machine; "
                + "%d rounds, medians. Throughput: %d connections, 32-byte frames, echo with 8 in flight each, forward with up "
                + "to 64 not yet acknowledged each (`forward-acks: true`, counted when Kafka stored them, `acks=all`). "
                + "Latency: one connection, one frame at a time, to its echo or to its `ACK`.%s%n%n"
                + "| measure | echo | forward | forward / echo |%n| --- | ---: | ---: | ---: |%n", LocalDate.now(), rounds, connections,
                gatewayArgs.isBlank() ? "" : " Gateway arguments: `" + gatewayArgs.trim() + "`."));
        row(markdown, "frames/s", "%,.0f", figures, "frames/s");
        row(markdown, "gateway CPU per frame", "%.2f µs", figures, "gateway CPU µs/frame");
        row(markdown, "broker CPU per frame", "%.2f µs", figures, "broker CPU µs/frame");
        row(markdown, "latency p50", "%,.0f µs", figures, "p50 µs");
        row(markdown, "latency p99", "%,.0f µs", figures, "p99 µs");
        System.out.println();
        System.out.println(markdown);
        Report.write(Path.of("results", gatewayArgs.isBlank() ? "forward.md" : "forward-tuned.md"), markdown.toString());
    }

    private static void row(StringBuilder markdown, String title, String format, Map<String, List<Double>> figures, String key) {
        double echo = Bench.median(figures.get("echo " + key));
        double forward = Bench.median(figures.get("forward " + key));
        markdown.append(String.format(Locale.ROOT, "| %s | " + format + " | " + format + " | %.2f× |%n", title, echo, forward,
                forward / echo));
    }

    private static void add(Map<String, List<Double>> figures, String key, double value) {
        figures.computeIfAbsent(key, (k) -> new ArrayList<>()).add(value);
    }

    /** User and system CPU time of a process (all its threads), from /proc/<pid>/stat, in nanoseconds. */
    private static long cpuNanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15)
        return ticks * 10_000_000L; // USER_HZ is 100 on Linux
    }

    private static void awaitPort(int port, Process broker) throws Exception {
        long deadline = System.nanoTime() + 180_000_000_000L; // the first run resolves the broker's jars
        while (System.nanoTime() < deadline) {
            if (!broker.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited; see target/kafka-broker.log");
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            }
            catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the Kafka broker did not listen on " + port);
    }
}
