package bench;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * How the gateway's cost grows with quiet connections: for each count, a fresh gateway (echo, heartbeat interval
 * one hour so nobody is pinged, the scan still runs every second) holds that many connections that said one line
 * and went quiet; then its RSS and live heap after a full GC, its CPU while they stay quiet, the time of each
 * heartbeat scan (the gateway logs it at debug), and the echo latency of one more connection beside them (a scan
 * must never delay frames). Writes results/growth.md and results/growth.png.
 */
final class GrowthBench {

    private static final Pattern SCAN = Pattern.compile("Heartbeat scan: (\\d+) connections in (\\d+) microseconds");

    private record Point(int connections, long rssBefore, long rssAfter, long heapBefore, long heapAfter,
            double cpuBaseline, double cpuMillisPerSecond, double scanMicrosMedian, double scanMicrosMax, double[] latency) {
    }

    private GrowthBench() {
    }

    static void run(List<Integer> counts, double seconds, Path gatewayJar) throws Exception {
        List<Point> points = new ArrayList<>();
        for (int count : counts) {
            points.add(measure(count, seconds, gatewayJar));
        }
        StringBuilder table = new StringBuilder("| quiet connections | RSS | RSS per connection | live heap per connection "
                + "| CPU, no connections | CPU while they are quiet | heartbeat scan, median / max | per connection "
                + "| echo p50 / p99 beside them |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Point point : points) {
            table.append(String.format(Locale.ROOT,
                    "| %,d | %,.0f MB | %,.2f KB | %,.2f KB | %.1f ms/s | %.1f ms/s | %,.0f / %,.0f µs | %.0f ns | %.0f / %.0f µs |%n",
                    point.connections(), point.rssAfter() / 1048576.0,
                    (point.rssAfter() - point.rssBefore()) / 1024.0 / point.connections(),
                    (point.heapAfter() - point.heapBefore()) / 1024.0 / point.connections(), point.cpuBaseline(),
                    point.cpuMillisPerSecond(), point.scanMicrosMedian(), point.scanMicrosMax(),
                    point.scanMicrosMedian() * 1000 / point.connections(), point.latency()[0] / 1000, point.latency()[1] / 1000));
        }
        String markdown = String.format(Locale.ROOT, "Run on %s; flags %s; each count on a fresh gateway, %.0f s quiet."
                + "%n%n%s", LocalDate.now(), String.join(" ", Comparison.JVM_FLAGS), seconds, table);
        System.out.println();
        System.out.println(markdown);
        Report.write(Path.of("results", "growth.md"), markdown);
        chart(points, Path.of("results", "growth.png"));
    }

    /** RSS and live heap (MB, left axis) and the heartbeat scan's median (ms, right axis) against the count. */
    private static void chart(List<Point> points, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(480)
                .title("tcp-gateway: cost of quiet connections").xAxisTitle("quiet connections").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.setYAxisGroupTitle(0, "MB");
        chart.setYAxisGroupTitle(1, "ms");
        List<Integer> counts = points.stream().map(Point::connections).toList();
        chart.addSeries("RSS (MB)", counts, points.stream().map((p) -> p.rssAfter() / 1048576.0).toList());
        chart.addSeries("live heap (MB)", counts, points.stream().map((p) -> p.heapAfter() / 1048576.0).toList());
        chart.addSeries("heartbeat scan, median (ms)", counts, points.stream().map((p) -> p.scanMicrosMedian() / 1000).toList())
                .setYAxisGroup(1);
        BitmapEncoder.saveBitmap(chart, png.toString().replaceFirst("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
    }

    private static Point measure(int count, double seconds, Path gatewayJar) throws Exception {
        int port = ServerProcess.freePort();
        List<String> command = new ArrayList<>(ServerProcess.java());
        command.addAll(Comparison.JVM_FLAGS);
        command.addAll(List.of("-jar", gatewayJar.toString(), "--management.server.port=0",
                "--gateway.listeners[0].name=bench", "--gateway.listeners[0].port=" + port,
                "--gateway.listeners[0].mode=echo", "--gateway.listeners[0].max-connections=100000",
                "--gateway.heartbeat.interval=1h", "--gateway.heartbeat.timeout=2h",
                "--logging.level.io.tcpgateway.heartbeat=debug", "--logging.level.io.tcpgateway.connection=warn"));
        try (ServerProcess server = ServerProcess.start("gateway-growth", command, port)) {
            long pid = server.pid();
            IdleLoad.warmUp(port);
            IdleLoad.gc(pid);
            Thread.sleep(5000); // compilations of the warm-up settle
            double cpuBaseline = cpuMillisPerSecond(pid, seconds);
            IdleLoad.gc(pid);
            long rssBefore = IdleLoad.rss(pid);
            long heapBefore = IdleLoad.liveHeap(pid);
            List<Socket> sockets = IdleLoad.openQuiet(port, count);
            try {
                IdleLoad.gc(pid);
                long rssAfter = IdleLoad.rss(pid);
                long heapAfter = IdleLoad.liveHeap(pid);
                int scansBefore = scans(count).size();
                double cpu = cpuMillisPerSecond(pid, seconds);
                List<Long> scans = scans(count);
                scans = new ArrayList<>(scans.subList(Math.min(scansBefore, scans.size()), scans.size()));
                scans.sort(null);
                double median = scans.isEmpty() ? Double.NaN : scans.get(scans.size() / 2);
                double max = scans.isEmpty() ? Double.NaN : scans.getLast();
                double[] latency = NativeLoad.latency(port, 20_000, 100_000, 32);
                Point point = new Point(count, rssBefore, rssAfter, heapBefore, heapAfter, cpuBaseline, cpu, median, max,
                        latency);
                System.out.printf(Locale.ROOT, "%,d quiet: RSS %,d MB, CPU %.2f ms/s, echo p99 %.0f µs%n", count,
                        rssAfter >> 20, cpu, latency[1] / 1000);
                return point;
            }
            finally {
                IdleLoad.close(sockets);
            }
        }
    }

    /** The heartbeat scans of {@code count} connections the gateway logged so far (debug), in µs each. */
    private static List<Long> scans(int count) throws IOException {
        List<Long> micros = new ArrayList<>();
        Matcher scan = SCAN.matcher(Files.readString(Path.of("target", "server-gateway-growth.log")));
        while (scan.find()) {
            if (Integer.parseInt(scan.group(1)) == count) {
                micros.add(Long.parseLong(scan.group(2)));
            }
        }
        return micros;
    }

    /** The process's CPU (user + system) over {@code seconds} of doing nothing but its own timers, in ms per second. */
    private static double cpuMillisPerSecond(long pid, double seconds) throws Exception {
        long before = cpuTicks(pid);
        long started = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        double elapsed = (System.nanoTime() - started) / 1e9;
        return (cpuTicks(pid) - before) * 10.0 / elapsed; // 100 ticks per second
    }

    /** User + system CPU of the process, in clock ticks (1/100 s), from /proc. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15 of stat)
    }
}
