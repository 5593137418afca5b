package bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the gateway's cost grows with quiet connections: for each count, a fresh gateway (echo, heartbeat interval
 * one hour so nobody is pinged, the scan still runs every second) holds that many connections that said one line
 * and went quiet; then its RSS and live heap after a full GC, its CPU while they stay quiet (about one heartbeat
 * scan per second, so CPU milliseconds per second is the scan's cost), and the echo latency of one more connection
 * beside them (a scan must never delay frames). Writes results/growth.md.
 */
final class GrowthBench {

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private record Point(int connections, long rssBefore, long rssAfter, long heapBefore, long heapAfter,
            double cpuMillisPerSecond, double[] latency) {
    }

    private GrowthBench() {
    }

    static void run(List<Integer> counts, double seconds, Path gatewayJar) throws Exception {
        List<Point> points = new ArrayList<>();
        for (int count : counts) {
            points.add(measure(count, seconds, gatewayJar));
        }
        StringBuilder table = new StringBuilder("| quiet connections | RSS | RSS per connection | live heap per connection "
                + "| CPU while quiet (≈ one heartbeat scan per second) | per connection per scan | echo p50 / p99 beside them |\n"
                + "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Point point : points) {
            table.append(String.format(Locale.ROOT, "| %,d | %,.0f MB | %,.2f KB | %,.2f KB | %.2f ms/s | %.0f ns | %.0f / %.0f µs |%n",
                    point.connections(), point.rssAfter() / 1048576.0,
                    (point.rssAfter() - point.rssBefore()) / 1024.0 / point.connections(),
                    (point.heapAfter() - point.heapBefore()) / 1024.0 / point.connections(), point.cpuMillisPerSecond(),
                    point.cpuMillisPerSecond() * 1e6 / point.connections(), point.latency()[0] / 1000, point.latency()[1] / 1000));
        }
        String markdown = String.format(Locale.ROOT, "Run on %s; flags %s; each count on a fresh gateway, %.0f s quiet."
                + "%n%n%s", LocalDate.now(), String.join(" ", Comparison.JVM_FLAGS), seconds, table);
        System.out.println();
        System.out.println(markdown);
        Report.write(Path.of("results", "growth.md"), markdown);
    }

    private static Point measure(int count, double seconds, Path gatewayJar) throws Exception {
        int port = ServerProcess.freePort();
        List<String> command = new ArrayList<>(ServerProcess.java());
        command.addAll(Comparison.JVM_FLAGS);
        command.addAll(List.of("-jar", gatewayJar.toString(), "--management.server.port=0",
                "--gateway.listeners[0].name=bench", "--gateway.listeners[0].port=" + port,
                "--gateway.listeners[0].mode=echo", "--gateway.listeners[0].max-connections=100000",
                "--gateway.heartbeat.interval=1h", "--gateway.heartbeat.timeout=2h"));
        try (ServerProcess server = ServerProcess.start("gateway-growth", command, port)) {
            long pid = server.pid();
            IdleLoad.gc(pid);
            long rssBefore = IdleLoad.rss(pid);
            long heapBefore = heapUsed(pid);
            List<Socket> sockets = new ArrayList<>(count);
            try {
                byte[] hello = "hello\n".getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < count; i++) {
                    Socket socket = new Socket();
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                    socket.setSoTimeout(30_000);
                    socket.getOutputStream().write(hello);
                    sockets.add(socket);
                    if (sockets.size() % 500 == 0 || i == count - 1) {
                        for (Socket said : sockets.subList((sockets.size() - 1) / 500 * 500, sockets.size())) {
                            if (said.getInputStream().readNBytes(hello.length).length != hello.length) {
                                throw new IOException("no echo");
                            }
                        }
                    }
                }
                IdleLoad.gc(pid);
                long rssAfter = IdleLoad.rss(pid);
                long heapAfter = heapUsed(pid);
                long cpuBefore = cpuTicks(pid);
                long started = System.nanoTime();
                Thread.sleep((long) (seconds * 1000));
                double elapsed = (System.nanoTime() - started) / 1e9;
                double cpuMillisPerSecond = (cpuTicks(pid) - cpuBefore) * 10.0 / elapsed; // 100 ticks per second
                double[] latency = NativeLoad.latency(port, 20_000, 100_000, 32);
                Point point = new Point(count, rssBefore, rssAfter, heapBefore, heapAfter, cpuMillisPerSecond, latency);
                System.out.printf(Locale.ROOT, "%,d quiet: RSS %,d MB, CPU %.2f ms/s, echo p99 %.0f µs%n", count,
                        rssAfter >> 20, cpuMillisPerSecond, latency[1] / 1000);
                return point;
            }
            finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    /** The heap in use as {@code jcmd GC.heap_info} reports it (after a full GC: what is live). */
    private static long heapUsed(long pid) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process process = new ProcessBuilder(jcmd, String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher used = HEAP_USED.matcher(output);
        if (!used.find()) {
            throw new IOException("no heap figure in: " + output);
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    /** User + system CPU of the process, in clock ticks (1/100 s), from /proc. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15 of stat)
    }
}
