package io.tcpgateway.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain Redis client subscribed to one channel ({@code SUBSCRIBE}, counted by {@code PUBSUB NUMSUB}), as a pod
 * of another build would be: it keeps every message's bytes, in order, and lets a test publish raw bytes too.
 */
public final class RedisSubscriber implements AutoCloseable {

    private final Socket socket;
    private final List<byte[]> messages = new CopyOnWriteArrayList<>();

    private RedisSubscriber(int port, String channel) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.getOutputStream().write(command("SUBSCRIBE", channel.getBytes(StandardCharsets.UTF_8)));
            InputStream in = new BufferedInputStream(socket.getInputStream());
            read(in); // the subscription's confirmation
            Thread.ofVirtual().name("redis-subscriber").start(() -> collect(in));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public static RedisSubscriber subscribe(int port, String channel) {
        return new RedisSubscriber(port, channel);
    }

    /** Publishes {@code message}, any bytes, on {@code channel}; returns how many subscribers Redis gave it to. */
    public static long publish(int port, String channel, byte[] message) {
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            client.setSoTimeout(2000);
            client.getOutputStream().write(command("PUBLISH", channel.getBytes(StandardCharsets.UTF_8), message));
            return (Long) read(new BufferedInputStream(client.getInputStream()));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The payloads of the messages heard so far, in arrival order. */
    public List<byte[]> messages() {
        return List.copyOf(messages);
    }

    private void collect(InputStream in) {
        try {
            while (true) {
                if (read(in) instanceof List<?> push && push.size() == 3 && push.get(2) instanceof byte[] payload) {
                    messages.add(payload);
                }
            }
        }
        catch (IOException closed) {
            // closed by the test
        }
    }

    private static byte[] command(String name, byte[]... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("*" + (1 + arguments.length) + "\r\n$" + name.length() + "\r\n" + name + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        for (byte[] argument : arguments) {
            out.writeBytes(("$" + argument.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(argument);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    /** One RESP2 reply: a Long, a byte[] (bulk string, null when absent), a String (status) or a List of those. */
    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        return switch (type) {
            case ':' -> Long.parseLong(line);
            case '+' -> line;
            case '-' -> throw new IOException("Redis: " + line);
            case '$' -> bulk(in, Integer.parseInt(line));
            case '*' -> {
                List<Object> items = new ArrayList<>();
                for (int i = Integer.parseInt(line); i > 0; i--) {
                    items.add(read(in));
                }
                yield items;
            }
            default -> throw new IOException("closed or not RESP: " + type);
        };
    }

    private static byte[] bulk(InputStream in, int length) throws IOException {
        if (length < 0) {
            return null;
        }
        byte[] bytes = in.readNBytes(length);
        line(in);
        return bytes;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new IOException("closed");
            }
            line.append((char) b);
        }
        in.read(); // '\n'
        return line.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        }
        catch (IOException ignored) {
            // closing anyway
        }
    }
}
