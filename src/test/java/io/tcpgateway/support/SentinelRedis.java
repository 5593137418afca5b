package io.tcpgateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * Redis kept available by Sentinel, from Debian's packages ({@code apt-get install -y redis-sentinel};
 * {@code .ci/run} installs it) as child processes on loopback: a master, one replica of it, and one sentinel
 * watching them as {@link #MASTER_NAME} (quorum 1, down after 1 s), so that killing the master makes the sentinel
 * promote the replica within a few seconds. Debian's {@code redis-sentinel} is the Redis server binary, which
 * runs as a server when its name says so: the master and the replica run through a link named
 * {@code redis-server}.
 */
public final class SentinelRedis implements AutoCloseable {

    public static final Path SENTINEL = Path.of("/usr/bin/redis-sentinel");
    public static final String MASTER_NAME = "gateway";

    private final Path directory;
    private final List<Process> processes = new ArrayList<>();
    private final int masterPort = GatewayPorts.free();
    private final int replicaPort = GatewayPorts.free();
    private final int sentinelPort = GatewayPorts.free();
    private Process master;

    private SentinelRedis(Path directory) {
        this.directory = directory;
    }

    public static SentinelRedis start() {
        assertThat(SENTINEL).as("Debian's redis-sentinel (apt-get install -y redis-sentinel)").exists();
        try {
            SentinelRedis redis = new SentinelRedis(Files.createTempDirectory("sentinel"));
            redis.startAll();
            return redis;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private void startAll() throws IOException {
        Path server = Files.createSymbolicLink(directory.resolve("redis-server"), SENTINEL.toRealPath());
        master = launch("master", server.toString(), "--port", String.valueOf(masterPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no");
        awaitAnswer(masterPort);
        launch("replica", server.toString(), "--port", String.valueOf(replicaPort), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--replicaof", "127.0.0.1", String.valueOf(masterPort));
        Awaitility.await("the replica in sync").atMost(Duration.ofSeconds(20))
                .until(() -> call(replicaPort, "INFO", "replication").contains("master_link_status:up"));
        Path config = Files.writeString(directory.resolve("sentinel.conf"), String.join("\n",
                "port " + sentinelPort, "bind 127.0.0.1", "dir " + directory,
                "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + masterPort + " 1",
                "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                "sentinel failover-timeout " + MASTER_NAME + " 5000", ""));
        launch("sentinel", SENTINEL.toString(), config.toString());
        Awaitility.await("the sentinel knows the replica").atMost(Duration.ofSeconds(20))
                .until(() -> call(sentinelPort, "SENTINEL", "REPLICAS", MASTER_NAME).contains(String.valueOf(replicaPort)));
    }

    private Process launch(String name, String... command) throws IOException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(directory.resolve(name + ".log").toFile()).start();
        processes.add(process);
        return process;
    }

    private static void awaitAnswer(int port) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> call(port, "PING").contains("PONG"));
    }

    public int sentinelPort() {
        return sentinelPort;
    }

    public int replicaPort() {
        return replicaPort;
    }

    /** The gateway's settings for this Redis: {@code spring.data.redis.sentinel.*}. */
    public String[] gatewayProperties() {
        return new String[] { "spring.data.redis.sentinel.master=" + MASTER_NAME,
                "spring.data.redis.sentinel.nodes=127.0.0.1:" + sentinelPort };
    }

    /** Kills the master (SIGKILL: no goodbye to its clients, as a node lost with its machine). */
    public void killMaster() {
        master.destroyForcibly();
    }

    /** Waits until the sentinel names the replica as the master. */
    public void awaitPromotion() {
        Awaitility.await("the replica promoted").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> call(sentinelPort, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME)
                        .contains(String.valueOf(replicaPort)));
    }

    /** How many clients listen on {@code channel} at the master the sentinel names now. */
    public long subscribers(String channel) {
        String[] master = call(sentinelPort, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME).split("\n");
        String reply = call(Integer.parseInt(master[4].trim()), "PUBSUB", "NUMSUB", channel);
        String[] lines = reply.split("\n");
        return Long.parseLong(lines[lines.length - 1].trim().substring(1));
    }

    /** Whether {@code key} exists on the replica: what the master wrote has been replicated. */
    public boolean replicaHas(String key) {
        return call(replicaPort, "EXISTS", key).trim().equals(":1");
    }

    /** One command, its arguments as RESP bulk strings; the raw reply (every line of an array). */
    static String call(int port, String... arguments) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(2000);
            StringBuilder request = new StringBuilder("*").append(arguments.length).append("\r\n");
            for (String argument : arguments) {
                request.append('$').append(argument.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                        .append(argument).append("\r\n");
            }
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            StringBuilder reply = new StringBuilder();
            readReply(socket.getInputStream(), reply);
            return reply.toString();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void readReply(InputStream in, StringBuilder reply) throws IOException {
        String line = readLine(in);
        reply.append(line).append('\n');
        switch (line.charAt(0)) {
            case '$' -> {
                int length = Integer.parseInt(line.substring(1));
                if (length >= 0) {
                    reply.append(new String(in.readNBytes(length + 2), StandardCharsets.UTF_8));
                }
            }
            case '*' -> {
                int count = Integer.parseInt(line.substring(1));
                for (int i = 0; i < count; i++) {
                    readReply(in, reply);
                }
            }
            default -> {
                // +simple, -error, :integer: the line is the reply
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        if (b < 0) {
            throw new IOException("connection closed");
        }
        return line.toString();
    }

    @Override
    public void close() {
        processes.forEach(Process::destroyForcibly);
    }
}
