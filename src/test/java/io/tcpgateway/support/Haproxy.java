package io.tcpgateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * Debian's {@code haproxy} (apt-get install -y haproxy; {@code .ci/run} installs it) run as a child process
 * on loopback with a configuration the test writes, in the foreground; stopped with {@link #close}.
 */
public final class Haproxy implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/haproxy");

    private final Process process;
    private final Path log;

    private Haproxy(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts haproxy with {@code config} and waits until every one of {@code frontendPorts} accepts. */
    public static Haproxy start(String config, int... frontendPorts) {
        assertThat(BINARY).as("Debian's haproxy (apt-get install -y haproxy)").exists();
        try {
            Path directory = Files.createTempDirectory("haproxy");
            Path file = Files.writeString(directory.resolve("haproxy.cfg"), config);
            Path log = directory.resolve("haproxy.log");
            Process started = new ProcessBuilder(BINARY.toString(), "-db", "-f", file.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Haproxy haproxy = new Haproxy(started, log);
            for (int port : frontendPorts) {
                Awaitility.await("haproxy listening on " + port).atMost(Duration.ofSeconds(10))
                        .until(() -> haproxy.accepts(port));
            }
            return haproxy;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private boolean accepts(int port) {
        if (!process.isAlive()) {
            throw new IllegalStateException("haproxy exited: " + output());
        }
        try (Socket probe = new Socket("127.0.0.1", port)) {
            return true;
        }
        catch (IOException notYet) {
            return false;
        }
    }

    /** What haproxy printed (its warnings, and its alerts when a server goes down). */
    public String output() {
        try {
            return Files.readString(log);
        }
        catch (IOException ex) {
            return "(no output: " + ex + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
