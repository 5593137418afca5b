package io.tcpgateway.connection;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where quiet connections wait for bytes without a thread: one selector and the one platform thread
 * that runs it. A connection's reader that has waited {@code gateway.inbound.release-reader-after} for a
 * frame registers its channel here ({@link ChannelParking#park}) and ends; when the client sends again (or
 * closes), or a writer finds the socket's send buffer full, a new reader thread takes over where the
 * last one stopped. A parked virtual thread keeps its stack and its thread object, about half of a quiet
 * connection's heap; a registration here is a selection key. Netty's idle channels cost the same way.
 *
 * <p>The cost is paid at the edges of a quiet period (a registration, its cancellation and a thread
 * start, a few microseconds), never per frame: a connection that talks keeps its reader.
 */
final class ParkedReaders implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ParkedReaders.class);
    /** How long the selector waits at most: a close of a parked channel is completed (its descriptor freed) by a select. */
    private static final long SELECT_MILLIS = 1000;

    private final Selector selector;
    private final Queue<ChannelParking> wakeRequests = new ConcurrentLinkedQueue<>();
    private final ThreadFactory readers = Thread.ofVirtual().name("tcp-reader").factory();
    private final Thread loop;
    private volatile boolean closed;

    ParkedReaders() throws IOException {
        this.selector = Selector.open();
        this.loop = Thread.ofPlatform().daemon().name("tcp-parked-readers").start(this::run);
    }

    /** Registers a channel already made non-blocking; its reader then ends. */
    SelectionKey register(SocketChannel channel, ChannelParking parking) throws IOException {
        SelectionKey key = channel.register(selector, SelectionKey.OP_READ, parking);
        selector.wakeup(); // the registration takes effect at the selector's next turn
        return key;
    }

    /** Takes the channel out of the selector and gives it a reader again (a writer needs it blocking). */
    void wake(ChannelParking parking) {
        wakeRequests.add(parking);
        selector.wakeup();
    }

    /** A parked channel was closed: its descriptor is freed when the selector turns, now rather than within a second. */
    void closedWhileParked() {
        selector.wakeup();
    }

    private void run() {
        while (!closed) {
            try {
                selector.select(this::resume, SELECT_MILLIS);
                ChannelParking woken;
                while ((woken = wakeRequests.poll()) != null) {
                    resume(woken);
                }
            }
            catch (ClosedSelectorException ex) {
                return;
            }
            catch (IOException | RuntimeException ex) {
                if (!closed) {
                    log.error("The selector of quiet connections failed; it goes on", ex);
                }
            }
        }
    }

    private void resume(SelectionKey ready) {
        resume((ChannelParking) ready.attachment());
    }

    private void resume(ChannelParking parking) {
        if (parking.unregister()) {
            readers.newThread(parking::resumeReader).start();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        selector.close();
        loop.interrupt();
    }
}
