package bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Connection churn: {@code cycles} times connect, send one frame, read its echo, close. The server's
 * live heap (after a full GC) and open file descriptors are read before and after: they must come back.
 */
final class ChurnLoad {

    record Result(long heapBefore, long heapAfter, long filesBefore, long filesAfter, double cyclesPerSecond) {
    }

    private ChurnLoad() {
    }

    static Result run(int port, int cycles, long serverPid) throws Exception {
        return run(port, cycles, serverPid, new byte[0]);
    }

    /** @param header sent before the frame in the same write (a PROXY header, as a balancer sends it); may be empty */
    static Result run(int port, int cycles, long serverPid, byte[] header) throws Exception {
        return run(port, cycles, serverPid, header, 0);
    }

    /** @param extraReply bytes the server answers before the echo (3 for the {@code OK} of an {@code AUTH} header) */
    static Result run(int port, int cycles, long serverPid, byte[] header, int extraReply) throws Exception {
        byte[] reply = new byte[extraReply + EchoLoad.line("churn").length];
        byte[] frame = concat(header, EchoLoad.line("churn"));
        // Warm up first, so that what the JVM loads once (classes, pools) is not counted as growth.
        cycle(port, frame, reply, Math.min(2000, cycles / 10));
        IdleLoad.gc(serverPid);
        long heapBefore = liveHeap(serverPid);
        long filesBefore = openFiles(serverPid);
        long start = System.nanoTime();
        cycle(port, frame, reply, cycles);
        double rate = cycles / ((System.nanoTime() - start) / 1e9);
        Thread.sleep(2000); // closes still being processed
        IdleLoad.gc(serverPid);
        return new Result(heapBefore, liveHeap(serverPid), filesBefore, openFiles(serverPid), rate);
    }

    private static void cycle(int port, byte[] frame, byte[] reply, int cycles) throws IOException {
        for (int i = 0; i < cycles; i++) {
            try (Socket socket = new Socket()) {
                socket.setSoLinger(true, 0); // RST on close: no TIME_WAIT pile-up in the client's port range
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(frame);
                socket.getInputStream().readNBytes(reply, 0, reply.length);
            }
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    static long openFiles(long pid) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return files.count();
        }
    }

    /** Used heap after the last GC, from {@code jcmd GC.heap_info} (G1: "used NNNK"). */
    static long liveHeap(long pid) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process process = new ProcessBuilder(jcmd, String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        Matcher matcher = Pattern.compile("used (\\d+)K").matcher(output);
        if (!matcher.find()) {
            throw new IOException("no heap figure in: " + output);
        }
        return Long.parseLong(matcher.group(1)) * 1024;
    }
}
