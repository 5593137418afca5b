package io.tcpgateway.connection;

import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The threads connections share: virtual threads that drain outbound queues (one at a time per
 * connection, only while it has something to write) and one timer that enforces close deadlines.
 */
@Component
public class ConnectionExecutors implements DisposableBean {

    /**
     * A new virtual thread per writer run. Not a ThreadPerTaskExecutor: its bookkeeping of live threads
     * (a concurrent set, an add and a remove per run) showed in the echo profile, and nothing here
     * needs to wait for writers to finish (closing the sockets ends them).
     */
    private final ThreadFactory writerThreads = Thread.ofVirtual().name("tcp-writer").factory();
    private volatile boolean closed;
    private final Executor writers = (task) -> {
        if (closed) {
            throw new RejectedExecutionException("shutting down");
        }
        writerThreads.newThread(task).start();
    };

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("tcp-close-timer").daemon(true).factory());

    public Executor writers() {
        return writers;
    }

    public ScheduledExecutorService timer() {
        return timer;
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
        closed = true;
    }
}
