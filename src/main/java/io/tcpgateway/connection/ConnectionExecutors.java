package io.tcpgateway.connection;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import org.springframework.beans.factory.DisposableBean;
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
    private final ThreadFactory writerThreads = Thread.ofVirtual().name("tcp-writer").factory();
    private volatile boolean closed;
    private final Executor writers = (task) -> {
        if (closed) {
            throw new RejectedExecutionException("shutting down");
        }
        writerThreads.newThread(task).start();
    };

    private final TaskScheduler scheduler;

    public ConnectionExecutors(@Qualifier(GATEWAY_SCHEDULER) TaskScheduler scheduler) {
        this.scheduler = scheduler;
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
