package io.tcpgateway.connection;

import io.tcpgateway.config.GatewayProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * The threads connections share: virtual threads that drain outbound queues (one at a time per
 * connection, only while it has something to write), the selector where quiet connections wait for
 * bytes without a reader ({@link ParkedReaders}) and the gateway's one scheduler (close deadlines, the
 * heartbeat).
 */
@Component
public class ConnectionExecutors implements DisposableBean {

    /** The bean name of the gateway's scheduler. */
    public static final String GATEWAY_SCHEDULER = "gatewayScheduler";

    /**
     * A new virtual thread per writer run. Not a ThreadPerTaskExecutor: its bookkeeping of live threads
     * (a concurrent set, an add and a remove per run) showed in the echo profile, and nothing here
     * needs to wait for writers to finish (closing the sockets ends them).
     */
    private static final ThreadFactory writerThreads = Thread.ofVirtual().name("tcp-writer").factory();

    private volatile boolean closed;
    private final Executor writers;
    private final TaskScheduler scheduler;
    private final int releaseReaderAfterMillis;
    /** Made when the first reader parks: a gateway whose readers keep their threads opens no selector. */
    private volatile @Nullable ParkedReaders parkedReaders;

    @Autowired
    public ConnectionExecutors(@Qualifier(GATEWAY_SCHEDULER) TaskScheduler scheduler, GatewayProperties properties) {
        this(scheduler, (task) -> writerThreads.newThread(task).start(), properties.inbound().releaseReaderAfter());
    }

    /**
     * With writers started by {@code startWriter} (tests count them).
     *
     * @param releaseReaderAfter {@code gateway.inbound.release-reader-after}; zero: readers keep their threads
     */
    ConnectionExecutors(TaskScheduler scheduler, Executor startWriter, Duration releaseReaderAfter) {
        this.scheduler = scheduler;
        this.releaseReaderAfterMillis = (int) Math.min(Integer.MAX_VALUE, releaseReaderAfter.toMillis());
        this.writers = (task) -> {
            if (closed) {
                throw new RejectedExecutionException("shutting down");
            }
            startWriter.execute(task);
        };
    }

    public Executor writers() {
        return writers;
    }

    public TaskScheduler scheduler() {
        return scheduler;
    }

    /** How long a reader waits for a frame before it parks (a socket read timeout); 0: it never parks. */
    int releaseReaderAfterMillis() {
        return releaseReaderAfterMillis;
    }

    /** Where quiet connections wait without a thread ({@code gateway.inbound.release-reader-after}). */
    ParkedReaders parkedReaders() throws IOException {
        ParkedReaders readers = parkedReaders;
        if (readers == null) {
            synchronized (this) {
                readers = parkedReaders;
                if (readers == null) {
                    readers = new ParkedReaders();
                    parkedReaders = readers;
                }
            }
        }
        return readers;
    }

    @Override
    public void destroy() throws IOException {
        closed = true;
        ParkedReaders readers = parkedReaders;
        if (readers != null) {
            readers.close();
        }
    }
}
