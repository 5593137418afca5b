package bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Start-up to readiness, the gateway beside a bare Spring Boot web + actuator service of the same Boot version
 * ({@code bench/bare}), each started the ways it can be run: the fat jar; extracted with a JDK AOT cache from a
 * training run (as the image runs it); and, for a jar built with Spring's AOT processing, the same two with
 * {@code -Dspring.aot.enabled=true}. The time is from the process's start to {@code /actuator/health/readiness}
 * answering 200; the two applications alternate run by run, medians of the runs. Writes results/startup.md.
 */
final class StartupBench {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();

    private record App(String name, Path jar, List<String> args) {
    }

    private record Way(String name, boolean image, boolean springAot) {
    }

    private StartupBench() {
    }

    /**
     * @param gatewayAotJar a gateway jar built with {@code -Paot} (Spring's AOT processing), or null
     * @param bareAotJar the bare service built with {@code -Paot}, or null
     */
    static void run(int runs, Path gatewayJar, Path bareJar, Path gatewayAotJar, Path bareAotJar) throws Exception {
        List<String> gatewayArgs = List.of("--gateway.listeners[0].name=chat", "--gateway.listeners[0].port=0");
        App[] plain = { new App("gateway", gatewayJar, gatewayArgs), new App("bare Boot", bareJar, List.of()) };
        App[] aot = (gatewayAotJar == null || bareAotJar == null) ? null
                : new App[] { new App("gateway", gatewayAotJar, gatewayArgs), new App("bare Boot", bareAotJar, List.of()) };
        List<Way> ways = new ArrayList<>(List.of(new Way("fat jar", false, false),
                new Way("extracted + JDK AOT cache (the image)", true, false)));
        if (aot != null) {
            ways.add(new Way("fat jar + Spring AOT", false, true));
            ways.add(new Way("extracted + JDK AOT cache + Spring AOT", true, true));
        }
        Path work = Files.createTempDirectory("startup");
        StringBuilder table = new StringBuilder("| started as | gateway | bare Boot web + actuator | gateway / bare | gateway RSS when ready |\n"
                + "| --- | ---: | ---: | ---: | ---: |\n");
        for (Way way : ways) {
            App[] pair = way.springAot() ? aot : plain;
            List<List<String>> commands = new ArrayList<>();
            for (App app : pair) {
                commands.add(way.image() ? imageCommand(app, work, way.springAot()) : fatJarCommand(app, way.springAot()));
            }
            List<Long> gatewayMillis = new ArrayList<>();
            List<Long> bareMillis = new ArrayList<>();
            List<Long> gatewayRss = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                for (int which : (run % 2 == 0) ? new int[] { 0, 1 } : new int[] { 1, 0 }) {
                    long[] measured = startOnce(commands.get(which), workingDirectory(pair[which], work, way.image()));
                    (which == 0 ? gatewayMillis : bareMillis).add(measured[0]);
                    if (which == 0) {
                        gatewayRss.add(measured[1]);
                    }
                    System.out.printf(Locale.ROOT, "%-42s %-9s %,6d ms%n", way.name(), pair[which].name(), measured[0]);
                }
            }
            double gateway = median(gatewayMillis);
            double bare = median(bareMillis);
            table.append(String.format(Locale.ROOT, "| %s | %,.0f ms | %,.0f ms | %.2f× | %,.0f MB |%n", way.name(), gateway, bare,
                    gateway / bare, median(gatewayRss) / 1024.0));
        }
        String markdown = String.format(Locale.ROOT, "Run on %s, %d starts of each, alternating, medians; flags %s. "
                + "Time from the process's start to /actuator/health/readiness answering 200.%n%n%s", LocalDate.now(), runs,
                String.join(" ", Comparison.JVM_FLAGS), table);
        System.out.println();
        System.out.println(markdown);
        Report.write(Path.of("results", "startup.md"), markdown);
    }

    private static List<String> fatJarCommand(App app, boolean springAot) {
        List<String> command = new ArrayList<>(ServerProcess.java());
        command.addAll(Comparison.JVM_FLAGS);
        if (springAot) {
            command.add("-Dspring.aot.enabled=true");
        }
        command.addAll(List.of("-jar", app.jar().toAbsolutePath().toString()));
        command.addAll(app.args());
        return command;
    }

    /** Extracts the jar (once per jar) and makes its AOT cache with a training run, as the Dockerfile does. */
    private static List<String> imageCommand(App app, Path work, boolean springAot) throws Exception {
        Path directory = imageDirectory(app, work);
        String jarName = app.jar().getFileName().toString();
        Path cache = directory.resolve("app.aot");
        if (!Files.exists(directory)) {
            exec(List.of(ServerProcess.java("-Djarmode=tools", "-jar", app.jar().toAbsolutePath().toString(), "extract",
                    "--destination", directory.toString())), work);
        }
        List<String> training = new ArrayList<>(ServerProcess.java());
        training.addAll(Comparison.JVM_FLAGS);
        if (springAot) {
            training.add("-Dspring.aot.enabled=true");
        }
        training.addAll(List.of("-XX:AOTCacheOutput=app.aot", "-Dspring.context.exit=onRefresh", "-jar", jarName,
                "--spring.main.banner-mode=off"));
        training.addAll(app.args());
        if (!Files.exists(cache)) {
            int port = ServerProcess.freePort();
            training.addAll(List.of("--server.port=" + port, "--management.server.port=" + port));
            exec(List.of(training), directory);
        }
        List<String> command = new ArrayList<>(ServerProcess.java());
        command.addAll(Comparison.JVM_FLAGS);
        if (springAot) {
            command.add("-Dspring.aot.enabled=true");
        }
        command.addAll(List.of("-XX:AOTCache=app.aot", "-jar", jarName));
        command.addAll(app.args());
        return command;
    }

    private static Path imageDirectory(App app, Path work) {
        return work.resolve(app.jar().toAbsolutePath().toString().replaceAll("[^A-Za-z0-9]", "_"));
    }

    private static Path workingDirectory(App app, Path work, boolean image) {
        return image ? imageDirectory(app, work) : Path.of(".");
    }

    /** Starts the command, waits for readiness, returns {milliseconds to ready, RSS in KB then}, stops it. */
    private static long[] startOnce(List<String> command, Path directory) throws Exception {
        int managementPort = ServerProcess.freePort();
        List<String> full = new ArrayList<>(command);
        // One HTTP port for both: the gateway's server.port follows its management port, as in its application.yml.
        full.addAll(List.of("--server.port=" + managementPort, "--management.server.port=" + managementPort));
        URI readiness = URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness");
        long started = System.nanoTime();
        Process process = new ProcessBuilder(full).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(Path.of("target", "startup.log").toAbsolutePath().toFile()).start();
        try {
            long deadline = started + TimeUnit.SECONDS.toNanos(120);
            while (!ready(readiness)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("not ready: " + String.join(" ", full) + " (see target/startup.log)");
                }
                Thread.sleep(5);
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            return new long[] { millis, IdleLoad.rss(process.pid()) / 1024 };
        }
        finally {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static boolean ready(URI readiness) {
        try {
            return http.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        }
        catch (IOException notYet) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void exec(List<List<String>> commands, Path directory) throws Exception {
        for (List<String> command : commands) {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(Path.of("target", "startup-prepare.log").toAbsolutePath().toFile()).start();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
        }
    }

    private static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        int n = sorted.size();
        return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
