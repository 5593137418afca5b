package io.tcpgateway.kafka;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.springframework.beans.factory.DisposableBean;

/**
 * Tells clients of {@code forward-acks} listeners how many of their frames Kafka has stored ({@code ACK <n>},
 * cumulative). Kafka's callbacks only mark a connection as due; one thread writes the ACKs, so the producer's
 * network thread never encodes frames, and every callback of a batch that lands before the ACK is written is
 * covered by that one ACK (at least one per batch, as CONTRACT section 15 says, and usually no more).
 */
final class AckWriter implements DisposableBean {

    private final BlockingQueue<ForwardStream> due = new LinkedBlockingQueue<>();
    private final Thread writer;

    AckWriter() {
        this.writer = Thread.ofVirtual().name("kafka-acks").start(this::run);
    }

    /** {@code stream} has frames stored that its client has not been told of. */
    void due(ForwardStream stream) {
        due.add(stream);
    }

    private void run() {
        try {
            while (true) {
                ForwardStream stream = due.take();
                long n = stream.ackDue();
                if (n > 0) {
                    stream.peer().sendPayload(("ACK " + n).getBytes(StandardCharsets.US_ASCII));
                    stream.acknowledged(n);
                }
            }
        }
        catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void destroy() {
        writer.interrupt();
    }
}
