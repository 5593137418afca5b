package io.tcpgateway.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import redis.embedded.RedisServer;

/**
 * A real redis-server (the one embedded-redis carries for Linux x86-64) on a port of its own, which a
 * test can stop and start again on the same port.
 */
public final class TestRedis implements AutoCloseable {

    private final int port;
    private RedisServer server;

    private TestRedis(int port) {
        this.port = port;
    }

    public static TestRedis start() {
        return startOn(GatewayPorts.free());
    }

    public static TestRedis startOn(int port) {
        TestRedis redis = new TestRedis(port);
        redis.restart();
        return redis;
    }

    public int port() {
        return port;
    }

    public void stop() {
        try {
            server.stop();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public void restart() {
        try {
            server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
                    .setting("appendonly no").build();
            server.start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Publishes {@code message} on {@code channel} as any Redis client could (inline command, no spaces in either). */
    public void publish(String channel, String message) {
        integer("PUBLISH " + channel + " " + message);
    }

    /** Runs an inline command whose answer is an integer ({@code HEXISTS key field}, say) and returns it. */
    public long integer(String command) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(2000);
            socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            if (in.read() != ':') {
                throw new IOException(command + " refused");
            }
            StringBuilder digits = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0 && b != '\r') {
                digits.append((char) b);
            }
            return Long.parseLong(digits.toString());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** How many clients are subscribed to {@code channel} ({@code PUBSUB NUMSUB}), over a plain socket. */
    public long subscribers(String channel) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUBSUB NUMSUB " + channel + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            // *2\r\n $len\r\n channel\r\n :count\r\n
            InputStream in = socket.getInputStream();
            String reply = "";
            while (!reply.matches("(?s).*\r\n:\\d+\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("Redis closed the connection; read: " + reply);
                }
                reply += (char) b;
            }
            return Long.parseLong(reply.substring(reply.lastIndexOf(':') + 1).trim());
        }
        catch (IOException ex) {
            return -1;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
