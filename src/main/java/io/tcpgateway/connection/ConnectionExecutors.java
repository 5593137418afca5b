package io.tcpgateway.connection;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The threads connections share: virtual threads that drain outbound queues (one at a time per
 * connection, only while it has something to write) and one timer that enforces close deadlines.
 */
@Component
public class ConnectionExecutors implements DisposableBean {

    private final ExecutorService writers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("tcp-writer").factory());

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
        writers.shutdown();
    }
}
