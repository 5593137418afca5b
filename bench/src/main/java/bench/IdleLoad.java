package bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Idle connections: opens {@code count} connections, each says hello once and reads the echo (so
 * every read path has run), then holds them silent. Reports the server's resident memory growth
 * per connection, read from /proc after a full GC in the server, and its live heap growth (the total of
 * {@code jcmd GC.class_histogram}), which does not move with how much heap G1 keeps committed. Before the first reading the server
 * has already served {@link #WARM_UP} connections that came and went, so what is measured is the cost
 * of each further connection, not the one-time cost of loading and compiling the code that serves
 * connections at all.
 */
final class IdleLoad {

    private IdleLoad() {
    }

    static final int WARM_UP = 1000;
    /**
     * How long connections stay quiet before they are measured: longer than the gateway's
     * {@code release-reader-after} (1 s), after which a quiet connection holds no reader thread. A client
     * that said hello and went quiet is measured as it is a moment later, not in the second after.
     */
    static final long QUIET_MILLIS = 2500;
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("Total\\s+\\d+\\s+(\\d+)");

    /** What a server process holds: resident memory and the bytes of live objects. */
    record Footprint(long rss, long liveHeap) {

        /** Per connection, between {@code before} and this. */
        double[] perConnection(Footprint before, int count) {
            return new double[] {(rss - before.rss) / (double) count, (liveHeap - before.liveHeap) / (double) count};
        }
    }

    /**
     * Resident memory and live heap growth per connection, after a full GC, for {@code count} connections
     * that said hello and went quiet ({@code hello}), or that never said anything.
     */
    static double[] bytesPerConnection(int port, int count, long serverPid, boolean hello) throws Exception {
        warmUp(port);
        Footprint before = footprint(serverPid);
        List<Socket> sockets = hello ? openQuiet(port, count) : openSilent(port, count);
        try {
            return footprint(serverPid).perConnection(before, count);
        }
        finally {
            close(sockets);
        }
    }

    /** Resident bytes per connection ({@link #bytesPerConnection}'s first figure). */
    static double residentBytesPerConnection(int port, int count, long serverPid, boolean hello) throws Exception {
        return bytesPerConnection(port, count, serverPid, hello)[0];
    }

    /**
     * Opens {@code count} connections that each say hello and read the echo (in batches of 500, so the
     * server's backlog never fills), then lets them be quiet for {@link #QUIET_MILLIS}.
     */
    static List<Socket> openQuiet(int port, int count) throws Exception {
        List<Socket> sockets = new ArrayList<>(count);
        byte[] frame = EchoLoad.line("hello");
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(connect(port));
                sockets.getLast().getOutputStream().write(frame);
                if (sockets.size() % 500 == 0 || i == count - 1) {
                    awaitEchoes(sockets.subList((sockets.size() - 1) / 500 * 500, sockets.size()), frame.length);
                }
            }
            Thread.sleep(QUIET_MILLIS);
            return sockets;
        }
        catch (Exception ex) {
            close(sockets);
            throw ex;
        }
    }

    private static List<Socket> openSilent(int port, int count) throws Exception {
        List<Socket> sockets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sockets.add(connect(port));
        }
        Thread.sleep(3000); // let the server accept the backlog
        return sockets;
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(30_000);
        return socket;
    }

    static void close(List<Socket> sockets) throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    /** RSS and live heap after a full GC. */
    static Footprint footprint(long pid) throws Exception {
        gc(pid);
        return new Footprint(rss(pid), liveHeap(pid));
    }

    /** The bytes of live objects: {@code jcmd GC.class_histogram}, which collects first, and its total. */
    static long liveHeap(long pid) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process process = new ProcessBuilder(jcmd, String.valueOf(pid), "GC.class_histogram").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher total = HISTOGRAM_TOTAL.matcher(output);
        if (!total.find()) {
            throw new IOException("no histogram total in: " + output.substring(0, Math.min(500, output.length())));
        }
        return Long.parseLong(total.group(1));
    }

    /** Connections that connect, say hello, read the echo and close, in batches of 100. */
    static void warmUp(int port) throws IOException {
        byte[] frame = EchoLoad.line("warm-up");
        for (int batch = 0; batch < WARM_UP / 100; batch++) {
            List<Socket> sockets = new ArrayList<>(100);
            for (int i = 0; i < 100; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                socket.setSoTimeout(30_000);
                socket.getOutputStream().write(frame);
                sockets.add(socket);
            }
            awaitEchoes(sockets, frame.length);
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /** Opens {@code count} idle connections (hello, echo, silence) and holds them until the process is killed. */
    static void hold(int port, int count) throws Exception {
        List<Socket> sockets = new ArrayList<>(count);
        byte[] hello = EchoLoad.line("hello");
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.getOutputStream().write(hello);
            sockets.add(socket);
        }
        awaitEchoes(sockets, hello.length);
        System.out.println("holding " + count + " connections");
        Thread.currentThread().join();
    }

    private static void awaitEchoes(List<Socket> sockets, int length) throws IOException {
        for (Socket socket : sockets) {
            InputStream in = socket.getInputStream();
            if (in.readNBytes(length).length != length) {
                throw new IOException("no echo");
            }
        }
    }

    static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    /** A full GC in the server (jcmd, from the JDK running the benchmark), then a moment to settle. */
    static void gc(long pid) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        new ProcessBuilder(jcmd, String.valueOf(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        Thread.sleep(1000);
    }
}
