package io.tcpgateway.cluster;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.context.IntegrationFlowContext;
import org.springframework.integration.dsl.context.IntegrationFlowContext.IntegrationFlowRegistration;
import org.springframework.integration.redis.inbound.RedisInboundChannelAdapter;
import org.springframework.messaging.MessageHandler;

/**
 * The pod's Redis subscription: a flow {@code RedisInboundChannelAdapter ─▶ receiver}, registered and
 * started in the background once Redis answers a PING, retried until it starts. Spring Data's
 * listener container fails its start when Redis is unreachable (which, with the context, would stop the
 * whole pod), and a container whose first start failed does not subscribe later; so each attempt gets
 * a fresh adapter, and a pod starts and serves its own peers without Redis (CONTRACT section 10). Once
 * subscribed, the container itself resubscribes whenever Redis comes back.
 */
final class ClusterSubscription implements SmartLifecycle {

    static final String FLOW_ID = "cluster-subscription";

    private static final Logger log = LoggerFactory.getLogger(ClusterSubscription.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(5);

    private final RedisConnectionFactory connectionFactory;
    private final IntegrationFlowContext flows;
    private final List<String> topics;
    private final List<String> patterns;
    private final MessageHandler receiver;
    private final Runnable whenSubscribed;
    private volatile @Nullable Thread starter;
    private volatile boolean running;
    private volatile @Nullable IntegrationFlowRegistration subscription;

    /** @param whenSubscribed run once the subscription stands (reading state kept in Redis; never blocks) */
    ClusterSubscription(RedisConnectionFactory connectionFactory, IntegrationFlowContext flows, List<String> topics,
            List<String> patterns, MessageHandler receiver, Runnable whenSubscribed) {
        this.whenSubscribed = whenSubscribed;
        this.connectionFactory = connectionFactory;
        this.flows = flows;
        this.topics = List.copyOf(topics);
        this.patterns = List.copyOf(patterns);
        this.receiver = receiver;
    }

    @Override
    public void start() {
        running = true;
        starter = Thread.ofVirtual().name("cluster-subscribe").start(this::subscribeUntilItWorks);
    }

    private void subscribeUntilItWorks() {
        BackOffExecution backOff = backOff().start();
        boolean warned = false;
        while (running) {
            try {
                subscribe();
                log.info("Cluster: subscribed to Redis ({} channels, {} patterns)", topics.size(), patterns.size());
                whenSubscribed.run();
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
                Thread.sleep(backOff.nextBackOff());
            }
            catch (InterruptedException stopping) {
                return;
            }
        }
    }

    /**
     * 0.5 s, doubling up to 5 s, for as long as it takes. Not Spring's {@code RetryTemplate}: it keeps
     * every failed attempt's exception until it succeeds or gives up, which for a retry that lasts as
     * long as Redis is away (days, possibly) is a slow leak.
     */
    private static ExponentialBackOff backOff() {
        ExponentialBackOff backOff = new ExponentialBackOff(FIRST_RETRY.toMillis(), 2.0);
        backOff.setMaxInterval(LONGEST_RETRY.toMillis());
        return backOff;
    }

    private void subscribe() {
        try (RedisConnection connection = connectionFactory.getConnection()) {
            connection.ping(); // no adapter is built while Redis is plainly away
        }
        IntegrationFlowRegistration registration = flows.registration(IntegrationFlow.from(adapter()).handle(receiver).get())
                .id(FLOW_ID).autoStartup(false).register();
        try {
            registration.start();
            subscription = registration;
        }
        catch (RuntimeException failed) {
            registration.destroy(); // this adapter's container would never subscribe: the next try builds another
            throw failed;
        }
    }

    private RedisInboundChannelAdapter adapter() {
        RedisInboundChannelAdapter adapter = new RedisInboundChannelAdapter(connectionFactory);
        adapter.setTopics(topics.toArray(String[]::new));
        if (!patterns.isEmpty()) {
            adapter.setTopicPatterns(patterns.toArray(String[]::new));
        }
        adapter.setSerializer(RedisSerializer.byteArray());
        // Handled on the subscription's own thread, one after the other: the container's default
        // executor would start a thread per message and lose their order.
        adapter.setTaskExecutor(new SyncTaskExecutor());
        return adapter;
    }

    @Override
    public void stop() {
        running = false;
        Thread thread = starter;
        if (thread != null) {
            thread.interrupt();
        }
        IntegrationFlowRegistration registration = subscription;
        if (registration != null) {
            registration.stop();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
