package io.tcpgateway.cluster;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.integration.redis.inbound.RedisInboundChannelAdapter;

/**
 * Starts the cluster subscription in the background once Redis answers a PING. Spring Data's listener
 * container fails its start when Redis is unreachable, which would stop the whole pod, and a container
 * whose first start failed does not subscribe later; a pod must start and serve its own peers without
 * Redis (CONTRACT section 10). So the subscription starts only when Redis is there; from then on the
 * container itself resubscribes whenever Redis comes back.
 */
final class ClusterSubscription implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClusterSubscription.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(5);

    private final RedisInboundChannelAdapter subscriber;
    private final RedisConnectionFactory connectionFactory;
    private volatile Thread starter;
    private volatile boolean running;

    ClusterSubscription(RedisInboundChannelAdapter subscriber, RedisConnectionFactory connectionFactory) {
        this.subscriber = subscriber;
        this.connectionFactory = connectionFactory;
    }

    @Override
    public void start() {
        running = true;
        starter = Thread.ofVirtual().name("cluster-subscribe").start(this::subscribeUntilRedisAnswers);
    }

    private void subscribeUntilRedisAnswers() {
        Duration wait = FIRST_RETRY;
        boolean warned = false;
        while (running) {
            try {
                try (RedisConnection connection = connectionFactory.getConnection()) {
                    connection.ping();
                }
                subscriber.start();
                log.info("Cluster: subscribed to Redis");
                return;
            }
            catch (RuntimeException unreachable) {
                if (!warned) {
                    log.warn("Cluster: Redis unreachable ({}); serving this pod's peers only, retrying",
                            ClusterFrames.rootMessage(unreachable));
                    warned = true;
                }
            }
            try {
                Thread.sleep(wait);
            }
            catch (InterruptedException stopping) {
                return;
            }
            wait = wait.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : wait.multipliedBy(2);
        }
    }

    @Override
    public void stop() {
        running = false;
        Thread thread = starter;
        if (thread != null) {
            thread.interrupt();
        }
        subscriber.stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
