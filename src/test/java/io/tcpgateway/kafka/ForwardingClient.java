package io.tcpgateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpgateway.support.TcpTestClient;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A client of a {@code forward-acks} listener as a device would be written: it numbers its frames
 * ({@code <name>-<n>}), a reader thread takes every line the gateway sends, checks that the ACKs only ever grow,
 * answers PINGs, and keeps whatever else came (ERROR, BYE) in order. Its sender can run until told to stop.
 */
final class ForwardingClient implements AutoCloseable {

    private final String name;
    private final TcpTestClient client;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final List<String> others = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closedByServer = new AtomicBoolean();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final Thread reader;
    private volatile Thread sender;

    ForwardingClient(String name, int port) {
        this.name = name;
        this.client = TcpTestClient.connect(port);
        try {
            client.socket().setSoTimeout(0); // its reader waits as long as the gateway is quiet
        }
        catch (java.net.SocketException ex) {
            throw new UncheckedIOException(ex);
        }
        this.reader = Thread.ofVirtual().name("acks-" + name).start(this::read);
    }

    String name() {
        return name;
    }

    TcpTestClient client() {
        return client;
    }

    /** The payload of frame {@code n}. */
    String frame(long n) {
        return name + "-" + n;
    }

    /** Sends frames {@code sent+1 .. sent+count}. */
    void send(int count) {
        for (int i = 0; i < count; i++) {
            client.sendLine(frame(sent.incrementAndGet()));
        }
    }

    /**
     * Sends a frame every {@code pauseMillis} (a device reporting: the load of a test, not a wait) from a thread of
     * its own until {@link #stopSending()}.
     */
    void keepSending(int pauseMillis) {
        sending.set(true);
        sender = Thread.ofVirtual().name("send-" + name).start(() -> {
            try {
                while (sending.get()) {
                    client.sendLine(frame(sent.get() + 1));
                    sent.incrementAndGet();
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
                }
            }
            catch (UncheckedIOException closed) {
                problems.add("sending failed after " + sent.get() + " frames: " + closed.getCause());
            }
        });
    }

    void stopSending() throws InterruptedException {
        sending.set(false);
        Thread running = sender;
        if (running != null) {
            running.join();
        }
    }

    long sent() {
        return sent.get();
    }

    long acked() {
        return acked.get();
    }

    List<String> others() {
        return others;
    }

    boolean closedByServer() {
        return closedByServer.get();
    }

    void assertNoProblems() {
        assertThat(problems).as("what went wrong for " + name).isEmpty();
    }

    private void read() {
        try {
            String line;
            while ((line = client.readLineOrNullAtEnd()) != null) {
                if (line.startsWith("ACK ")) {
                    long n = Long.parseLong(line.substring(4));
                    long before = acked.getAndSet(n);
                    if (n <= before) {
                        problems.add("ACK " + n + " after ACK " + before);
                    }
                }
                else if (line.equals("PING")) {
                    client.sendLine("PONG");
                }
                else {
                    others.add(line);
                }
            }
        }
        catch (UncheckedIOException ended) {
            // closed while a line was arriving: reported as closed below
        }
        closedByServer.set(true);
    }

    @Override
    public void close() {
        sending.set(false);
        client.close();
        reader.interrupt();
    }
}
