package bench;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the edge defences of CONTRACT sections 2 and 12 cost on connection churn (connect, one echo,
 * close), side by side on one gateway build: everything off, {@code proxy-protocol: optional} with and
 * without a PROXY v2 header, a per-source limit, and flapping detection counting every connection
 * (with a limit nobody reaches). Setups alternate in order round by round; results are medians, as
 * cycles per second and as a ratio to "all off". Writes {@code results/edge.md}.
 */
final class EdgeBench {

    private static final byte[] NO_HEADER = new byte[0];

    record Setup(String name, List<String> flags, byte[] header) {
    }

    static final List<Setup> SETUPS = List.of(
            new Setup("all off", List.of(), NO_HEADER),
            new Setup("proxy-protocol: optional, v2 header sent", List.of("--gateway.listeners[0].proxy-protocol=optional"),
                    v2Header()),
            new Setup("proxy-protocol: optional, no header", List.of("--gateway.listeners[0].proxy-protocol=optional"),
                    NO_HEADER),
            new Setup("max-connections-per-source: 100", List.of("--gateway.listeners[0].max-connections-per-source=100"),
                    NO_HEADER),
            new Setup("flapping detection on", List.of("--gateway.flapping.enabled=true",
                    "--gateway.flapping.max-count=1000000000"), NO_HEADER));

    private EdgeBench() {
    }

    static void run(int rounds, int cycles, Path gatewayJar, String extraJvmFlags) throws Exception {
        List<String> jvmFlags = new ArrayList<>(Comparison.JVM_FLAGS);
        if (!extraJvmFlags.isBlank()) {
            jvmFlags.addAll(List.of(extraJvmFlags.trim().split("\\s+")));
        }
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            List<Setup> order = (round % 2 == 1) ? SETUPS : SETUPS.reversed();
            for (Setup setup : order) {
                int port = ServerProcess.freePort();
                List<String> command = new ArrayList<>(ServerProcess.java());
                command.addAll(jvmFlags);
                command.addAll(List.of("-jar", gatewayJar.toString(), "--server.port=0",
                        "--gateway.listeners[0].name=bench", "--gateway.listeners[0].port=" + port,
                        "--gateway.listeners[0].mode=echo", "--gateway.listeners[0].max-connections=100000"));
                command.addAll(setup.flags());
                try (ServerProcess server = ServerProcess.start("gateway-edge", command, port)) {
                    ChurnLoad.Result result = ChurnLoad.run(port, cycles, server.pid(), setup.header());
                    rates.computeIfAbsent(setup.name(), (k) -> new ArrayList<>()).add(result.cyclesPerSecond());
                    System.out.printf(Locale.ROOT, "round %d %-45s %,8.0f cycles/s, live heap %s -> %s, open files %d -> %d%n",
                            round, setup.name(), result.cyclesPerSecond(), Report.format(result.heapBefore(), "MB"),
                            Report.format(result.heapAfter(), "MB"), result.filesBefore(), result.filesAfter());
                }
            }
        }
        double baseline = Bench.median(rates.get(SETUPS.get(0).name()));
        StringBuilder markdown = new StringBuilder();
        markdown.append(String.format(Locale.ROOT, "Run on %s: 2 cores, loopback, load generator on the same machine; "
                + "%d rounds, setups alternating, %,d connect/echo/close cycles each, one connection at a time, medians. "
                + "JVM flags: %s.%n%n", LocalDate.now(), rounds, cycles, String.join(" ", jvmFlags)));
        markdown.append("| setup | cycles/s | vs all off |\n| --- | ---: | ---: |\n");
        rates.forEach((name, values) -> markdown.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f× |%n", name,
                Bench.median(values), Bench.median(values) / baseline)));
        System.out.println();
        System.out.println(markdown);
        Report.write(Path.of("results", "edge.md"), markdown.toString());
    }

    /** A PROXY v2 header as a balancer sends it: PROXY, TCP over IPv4, 203.0.113.7:51234 to 10.0.0.1:9000. */
    private static byte[] v2Header() {
        return ByteBuffer.allocate(16 + 12)
                .put(new byte[] { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A })
                .put((byte) 0x21).put((byte) 0x11).putShort((short) 12)
                .put(new byte[] { (byte) 203, 0, 113, 7 }).put(new byte[] { 10, 0, 0, 1 })
                .putShort((short) 51234).putShort((short) 9000).array();
    }
}
