package bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The native load generator ({@code native/loadgen.c}: one thread, epoll), built with the system compiler on first use
 * and again when its source is newer. On 2 cores the Java generator takes much of the machine and flatters the server
 * that costs more CPU per frame; this one leaves the server its cores (issue 24).
 */
final class NativeLoad {

    private static final Path SOURCE = Path.of("native", "loadgen.c");
    private static final Path BINARY = Path.of("target", "loadgen");

    private NativeLoad() {
    }

    /** Frames per second echoed: {@code connections} × {@code inflight} frames of {@code size} bytes, closed loop. */
    static double echo(int port, int connections, int inflight, int size, double warmupSeconds, double seconds) throws Exception {
        return Double.parseDouble(run("echo", port, connections, inflight, size, warmupSeconds, seconds).trim());
    }

    /** One connection, one frame at a time: the round trip's p50, p99 and p99.9, in nanoseconds. */
    static double[] latency(int port, int warmup, int iterations, int size) throws Exception {
        String[] figures = run("latency", port, warmup, iterations, size).trim().split("\\s+");
        return new double[] { Double.parseDouble(figures[0]), Double.parseDouble(figures[1]), Double.parseDouble(figures[2]) };
    }

    /**
     * Broadcast, as {@link BroadcastLoad}: {@code receivers} reading connections spread over {@code receiverPorts},
     * {@code senders} on {@code senderPort} with {@code inflight} frames each; a frame counts once every receiver has it.
     * Returns deliveries per second and the completion p99 in nanoseconds.
     */
    static double[] broadcast(List<Integer> receiverPorts, int senderPort, int receivers, int senders, int inflight,
            double warmupSeconds, double seconds) throws Exception {
        String ports = String.join(",", receiverPorts.stream().map(String::valueOf).toList());
        String[] figures = run("broadcast", senderPort, ports, receivers, senders, inflight, warmupSeconds, seconds).trim()
                .split("\\s+");
        return new double[] { Double.parseDouble(figures[0]), Double.parseDouble(figures[1]) };
    }

    private static String run(String mode, Object... arguments) throws Exception {
        build();
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), mode));
        for (Object argument : arguments) {
            command.add(String.valueOf(argument));
        }
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("loadgen " + mode + " failed: " + output);
        }
        return output;
    }

    private static synchronized void build() throws IOException, InterruptedException {
        if (Files.exists(BINARY) && Files.getLastModifiedTime(BINARY).compareTo(Files.getLastModifiedTime(SOURCE)) >= 0) {
            return;
        }
        Process compiler = new ProcessBuilder("cc", "-O2", "-Wall", "-o", BINARY.toString(), SOURCE.toString()).inheritIO().start();
        if (compiler.waitFor() != 0) {
            throw new IllegalStateException("cc could not build " + SOURCE + " (a C compiler is needed: apt-get install -y gcc)");
        }
    }
}
