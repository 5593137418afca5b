package bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Idle connections: opens {@code count} connections, each says hello once and reads the echo (so
 * every read path has run), then holds them silent. Reports the server's resident memory growth
 * per connection, read from /proc after a full GC in the server. Before the first reading the server
 * has already served {@link #WARM_UP} connections that came and went, so what is measured is the cost
 * of each further connection, not the one-time cost of loading and compiling the code that serves
 * connections at all.
 */
final class IdleLoad {

    private IdleLoad() {
    }

    /**
     * @param hello whether each connection first exchanges one frame (every read path has run, as with a
     *     real client that said something and went quiet) or stays silent from the start
     */
    static final int WARM_UP = 1000;

    static double residentBytesPerConnection(int port, int count, long serverPid, boolean hello) throws Exception {
        warmUp(port);
        gc(serverPid);
        long before = rss(serverPid);
        List<Socket> sockets = new ArrayList<>(count);
        byte[] frame = EchoLoad.line("hello");
        try {
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                socket.setSoTimeout(30_000);
                sockets.add(socket);
                if (hello) {
                    socket.getOutputStream().write(frame);
                    if (sockets.size() % 500 == 0) {
                        awaitEchoes(sockets.subList(sockets.size() - 500, sockets.size()), frame.length);
                    }
                }
            }
            if (hello) {
                awaitEchoes(sockets.subList(sockets.size() - sockets.size() % 500, sockets.size()), frame.length);
            }
            else {
                Thread.sleep(3000); // let the server accept the backlog
            }
            gc(serverPid);
            long after = rss(serverPid);
            return (after - before) / (double) count;
        }
        finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
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
