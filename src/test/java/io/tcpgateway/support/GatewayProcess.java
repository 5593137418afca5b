package io.tcpgateway.support;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway as an operator runs it: {@code java -jar target/tcp-gateway.jar} in its own process,
 * so signals and exit statuses are real. Its output is collected line by line.
 */
public final class GatewayProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Listener (\\S+) listening on \\S+:(\\d+)");
    private static final Pattern HTTP_PORT = Pattern.compile("Tomcat started on port (\\d+)");

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();

    private final Thread collector;

    private GatewayProcess(Process process) {
        this.process = process;
        this.collector = Thread.ofPlatform().daemon().name("gateway-output").start(this::collectOutput);
    }

    public static GatewayProcess start(String... args) {
        return start(Map.of(), args);
    }

    /** Starts it with these environment variables on top of a clean one (no GATEWAY_ADMIN_PASSWORD from outside). */
    public static GatewayProcess start(Map<String, String> environment, String... args) {
        return start(environment, List.of(), args);
    }

    /** Starts it as {@code bash -c 'ulimit -n <limit>; exec java ...'}: a process with few file descriptors. */
    public static GatewayProcess startWithOpenFilesLimit(int limit, String... args) {
        return startWithOpenFilesLimit(limit, Map.of(), args);
    }

    /** As {@link #startWithOpenFilesLimit(int, String...)}, with these environment variables. */
    public static GatewayProcess startWithOpenFilesLimit(int limit, Map<String, String> environment, String... args) {
        return start(environment, List.of("bash", "-c", "ulimit -n " + limit + " && exec \"$@\"", "gateway"), args);
    }

    private static GatewayProcess start(Map<String, String> environment, List<String> launcher, String... args) {
        Path jar = Path.of("target", "tcp-gateway.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run the tests with ./mvnw verify");
        }
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--server.port=0"));
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().remove("GATEWAY_ADMIN_PASSWORD");
            builder.environment().putAll(environment);
            return new GatewayProcess(builder.start());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private void collectOutput() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
            }
        }
        catch (IOException ended) {
            // the process is gone
        }
    }

    public Process process() {
        return process;
    }

    public String output() {
        return String.join("\n", output);
    }

    /** How many "Connection closed" lines the log has per reason, for failure messages. */
    public Map<String, Long> closeReasons() {
        return output.stream().filter((line) -> line.contains("Connection closed") && line.contains("reason="))
                .map((line) -> line.substring(line.indexOf("reason=")).split("[\\s\"]")[0])
                .collect(java.util.stream.Collectors.groupingBy((reason) -> reason, java.util.TreeMap::new,
                        java.util.stream.Collectors.counting()));
    }

    /** Waits for the listener's "listening" line and returns its bound port. */
    public int awaitListenerPort(String listener) {
        return Integer.parseInt(await().atMost(Duration.ofSeconds(60)).until(() -> find(LISTENING, listener), (port) -> port != null));
    }

    /** The first capture group of the first output line matching {@code regex}, waiting for it. */
    public String awaitOutput(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return await().atMost(Duration.ofSeconds(60)).until(() -> output.stream().map(pattern::matcher)
                .filter(Matcher::find).map((matcher) -> matcher.group(1)).findFirst().orElse(null), (found) -> found != null);
    }

    public int awaitHttpPort() {
        return Integer.parseInt(await().atMost(Duration.ofSeconds(60)).until(() -> find(HTTP_PORT, null), (port) -> port != null));
    }

    private String find(Pattern pattern, String name) {
        for (String line : output) {
            Matcher matcher = pattern.matcher(line);
            if (matcher.find()) {
                if (name == null) {
                    return matcher.group(1);
                }
                if (matcher.group(1).equals(name)) {
                    return matcher.group(2);
                }
            }
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("gateway exited with " + process.exitValue() + ":\n" + output());
        }
        return null;
    }

    /**
     * SIGTERM, as Kubernetes sends it. Sent with {@code kill}: {@link Process#destroy()} would also
     * close our end of the output pipe, and the shutdown's log lines would be lost.
     */
    public void terminate() {
        try {
            new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).inheritIO().start().waitFor();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the process to end and for its last output line to be collected. */
    public int awaitExit(Duration timeout) {
        await().atMost(timeout).until(() -> !process.isAlive() && !collector.isAlive());
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
