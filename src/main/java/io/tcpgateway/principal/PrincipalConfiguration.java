package io.tcpgateway.principal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tcpgateway.config.GatewayProperties;
import io.tcpgateway.connection.ConnectionExecutors;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The offline queue: in the process unless {@code gateway.cluster.enabled} (then the cluster's configuration
 * provides the one in Redis), its gauge {@code gateway.principals.queued}, and its sweep, every
 * {@link #SWEEP_EVERY}, which drops the expired messages of queues nobody touches.
 */
@Configuration(proxyBeanMethods = false)
public class PrincipalConfiguration {

    /** How often expired messages are looked for; a message is never delivered after its ttl whatever this is. */
    public static final Duration SWEEP_EVERY = Duration.ofSeconds(5);

    @Bean
    @ConditionalOnProperty(prefix = "gateway.cluster", name = "enabled", havingValue = "false", matchIfMissing = true)
    MemoryPrincipalQueue memoryPrincipalQueue(GatewayProperties properties, ConnectionExecutors executors,
            PrincipalMetrics metrics) {
        var queue = properties.principals().queue();
        return new MemoryPrincipalQueue(QueueBounds.of(queue), queue.maxTotalBytes().toBytes(),
                executors.scheduler().getClock(), metrics);
    }

    @Bean
    Gauge principalsQueuedGauge(PrincipalQueue queue, MeterRegistry registry) {
        return Gauge.builder("gateway.principals.queued", queue, PrincipalQueue::size)
                .description("Messages waiting in the offline queues of principals").register(registry);
    }

    @Bean
    QueueSweep principalQueueSweep(PrincipalQueue queue, ConnectionExecutors executors) {
        return new QueueSweep(queue, executors);
    }

    /** Runs {@link PrincipalQueue#sweep()} on the gateway's scheduler; a failure is logged and the next one runs. */
    static final class QueueSweep implements DisposableBean {

        private static final Logger log = LoggerFactory.getLogger(QueueSweep.class);

        private final ScheduledFuture<?> sweep;

        QueueSweep(PrincipalQueue queue, ConnectionExecutors executors) {
            this.sweep = executors.scheduler().scheduleAtFixedRate(() -> {
                try {
                    queue.sweep();
                }
                catch (RuntimeException failed) {
                    log.debug("The sweep of the principals' queues failed: {}", failed.getMessage());
                }
            }, SWEEP_EVERY);
        }

        @Override
        public void destroy() {
            sweep.cancel(false);
        }
    }
}
