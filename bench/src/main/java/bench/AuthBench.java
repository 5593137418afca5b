package bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code auth: token} costs (CONTRACT section 11), on one gateway build: connection churn (connect,
 * {@code AUTH} and one frame in the same write, {@code OK} and the echo back, close) and echo throughput
 * once logged in, against the same listener without auth. Setups alternate round by round; medians.
 * Writes {@code results/auth.md}.
 */
final class AuthBench {

    private static final String TOKEN = "bench-token-0123456789abcdef";

    private AuthBench() {
    }

    static void run(int rounds, int cycles, double seconds, Path gatewayJar) throws Exception {
        byte[] login = ("AUTH " + TOKEN + "\n").getBytes(StandardCharsets.US_ASCII);
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(TOKEN.getBytes(StandardCharsets.US_ASCII)));
        Map<String, List<Double>> churn = new LinkedHashMap<>();
        Map<String, List<Double>> echo = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (boolean auth : (round % 2 == 1) ? List.of(false, true) : List.of(true, false)) {
                String name = auth ? "auth: token" : "auth: none";
                List<String> flags = auth ? List.of("--gateway.listeners[0].auth=token", "--gateway.auth.tokens.bench=" + hash)
                        : List.of();
                try (ServerProcess server = start(gatewayJar, flags)) {
                    ChurnLoad.Result result = ChurnLoad.run(server.port, cycles, server.pid(), auth ? login : new byte[0],
                            auth ? 3 : 0);
                    churn.computeIfAbsent(name, (k) -> new ArrayList<>()).add(result.cyclesPerSecond());
                    double fps = EchoLoad.run(server.port, 50, 8, 32, 3, seconds, auth ? login : new byte[0]);
                    echo.computeIfAbsent(name, (k) -> new ArrayList<>()).add(fps);
                    System.out.printf(Locale.ROOT, "round %d %-12s churn %,8.0f cycles/s   echo %,10.0f frames/s%n", round, name,
                            result.cyclesPerSecond(), fps);
                }
            }
        }
        double churnBase = Bench.median(churn.get("auth: none"));
        double echoBase = Bench.median(echo.get("auth: none"));
        StringBuilder markdown = new StringBuilder(String.format(Locale.ROOT, "Run on %s: 2 cores, loopback; %d rounds, "
                + "setups alternating, medians. Churn: %,d cycles of connect, (AUTH and) one frame in one write, (OK and) "
                + "its echo, close. Echo: 50 connections × 8 frames in flight, %.0f s, after login.%n%n", LocalDate.now(),
                rounds, cycles, seconds));
        markdown.append("| setup | churn, cycles/s | vs none | echo, frames/s | vs none |\n| --- | ---: | ---: | ---: | ---: |\n");
        for (String name : churn.keySet()) {
            double c = Bench.median(churn.get(name));
            double e = Bench.median(echo.get(name));
            markdown.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f× | %,.0f | %.2f× |%n", name, c, c / churnBase, e,
                    e / echoBase));
        }
        System.out.println();
        System.out.println(markdown);
        Report.write(Path.of("results", "auth.md"), markdown.toString());
    }

    private static ServerProcess start(Path gatewayJar, List<String> flags) throws Exception {
        int port = ServerProcess.freePort();
        List<String> command = new ArrayList<>(ServerProcess.java());
        command.addAll(Comparison.JVM_FLAGS);
        command.addAll(List.of("-jar", gatewayJar.toString(), "--server.port=0", "--gateway.listeners[0].name=bench",
                "--gateway.listeners[0].port=" + port, "--gateway.listeners[0].mode=echo",
                "--gateway.listeners[0].max-connections=100000"));
        command.addAll(flags);
        return ServerProcess.start("gateway-auth", command, port);
    }
}
