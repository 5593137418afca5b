package io.tcpgateway.connection;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * The threads connections share: virtual threads that drain outbound queues (one at a time per
 * connection, only while it has something to write) and the gateway's one scheduler (close
 * deadlines, the heartbeat).
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

    @Autowired
    public ConnectionExecutors(@Qualifier(GATEWAY_SCHEDULER) TaskScheduler scheduler) {
        this(scheduler, (task) -> writerThreads.newThread(task).start());
    }

    /** With writers started by {@code startWriter} (tests count them). */
    ConnectionExecutors(TaskScheduler scheduler, Executor startWriter) {
        this.scheduler = scheduler;
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

    @Override
    public void destroy() {
        closed = true;
    }
}
