package io.tcpgateway.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.tcpgateway.admin.PrincipalCalls;
import io.tcpgateway.config.GatewayKafkaProperties;
import io.tcpgateway.config.GatewayProperties;
import io.tcpgateway.config.InvalidGatewayConfigurationException;
import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.listener.PerMessageMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.Pollers;
import org.springframework.integration.kafka.dsl.Kafka;
import org.springframework.integration.kafka.inbound.KafkaMessageDrivenChannelAdapter.ListenerMode;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.messaging.MessageChannel;
import org.springframework.util.backoff.FixedBackOff;

/**
 * CONTRACT section 15, present only with {@code gateway.kafka.enabled: true}. The connection to Kafka is Spring
 * Boot's ({@code spring.kafka.*}: bootstrap servers, SASL, TLS, tuning); on top of Boot's producer factory the
 * gateway insists on what "losing nothing" needs: {@code acks=all}, the idempotent producer (so retries neither
 * duplicate nor reorder), and no delivery timeout (a record waits in the producer as long as Kafka is away, while
 * the readers are paused by {@code gateway.kafka.max-in-flight-bytes}). Three Spring Integration flows:
 * <pre>
 * forward listeners' readers ─▶ kafkaFrames ─▶ Kafka outbound adapter; Kafka's answers: ForwardOutcomes (ACK, refusals)
 * ConnectionEvents ─▶ kafkaEvents (bounded queue) ─▶ poller ─▶ Kafka outbound adapter (events topic)
 * Kafka message-driven adapter (commands topic, one group) ─▶ PrincipalCommands
 * </pre>
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "gateway.kafka", name = "enabled", havingValue = "true")
public class KafkaConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaConfiguration.class);

    /** Beans of the per-frame flow: Spring Integration's per-message timers are switched off for them. */
    private static final String FRAMES_FLOW = "kafkaFrames";

    /**
     * The gateway's producer, owned here: a copy of Boot's producer factory with the settings forwarding needs.
     * Not a {@code ProducerFactory} bean, which would make Boot's own back off.
     */
    static final class GatewayProducer implements DisposableBean {

        private final ProducerFactory<String, byte[]> factory;
        private final KafkaTemplate<String, byte[]> template;

        GatewayProducer(ProducerFactory<String, byte[]> factory, ForwardOutcomes outcomes) {
            this.factory = factory;
            this.template = new KafkaTemplate<>(factory);
            // Kafka's answer for each frame (ForwardOutcomes), which also logs a refused frame once, with its
            // connection; the template's default listener would add an ERROR with a stack trace for each.
            this.template.setProducerListener(outcomes.asProducerListener());
        }

        KafkaTemplate<String, byte[]> template() {
            return template;
        }

        @Override
        public void destroy() {
            template.destroy();
            if (factory instanceof DisposableBean disposable) {
                try {
                    disposable.destroy();
                }
                catch (Exception ex) {
                    log.warn("Closing the Kafka producer failed: {}", ex.toString());
                }
            }
        }
    }

    @Bean
    @SuppressWarnings("unchecked")
    GatewayProducer gatewayKafkaProducer(ProducerFactory<?, ?> kafkaProducerFactory, GatewayProperties properties,
            ForwardOutcomes outcomes) {
        if (kafkaProducerFactory.transactionCapable()) {
            throw new InvalidGatewayConfigurationException("spring.kafka.producer.transaction-id-prefix",
                    String.valueOf(kafkaProducerFactory.getTransactionIdPrefix()), "the gateway forwards without transactions (the idempotent"
                    + " producer keeps each connection's frames whole and in order); remove it");
        }
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "tcp-gateway-" + properties.cluster().nodeId());
        Map<String, Object> configured = kafkaProducerFactory.getConfigurationProperties();
        warnIfOverridden(configured, ProducerConfig.ACKS_CONFIG, "all");
        warnIfOverridden(configured, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        Object inFlight = configured.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
        if (inFlight != null && Integer.parseInt(inFlight.toString()) > 5) {
            settings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5); // the idempotent producer's limit
        }
        checkBufferMemory(configured, properties.kafka());
        ProducerFactory<String, byte[]> factory =
                ((ProducerFactory<String, byte[]>) kafkaProducerFactory).copyWithConfigurationOverride(settings);
        return new GatewayProducer(factory, outcomes);
    }

    private static void warnIfOverridden(Map<String, Object> configured, String key, String needed) {
        Object value = configured.get(key);
        if (value != null && !needed.equalsIgnoreCase(value.toString())) {
            log.warn("spring.kafka.producer {}={} is ignored: forwarding needs {}={} to lose nothing", key, value, key, needed);
        }
    }

    /**
     * The frames in flight must fit the producer's memory with room for the events, or a send would wait for the
     * producer's memory and then fail, instead of the reader pausing before it.
     */
    private static void checkBufferMemory(Map<String, Object> configured, GatewayKafkaProperties kafka) {
        Object configuredBuffer = configured.get(ProducerConfig.BUFFER_MEMORY_CONFIG);
        long buffer = (configuredBuffer != null) ? Long.parseLong(configuredBuffer.toString()) : 32L * 1024 * 1024;
        long inFlight = kafka.maxInFlightBytes().toBytes();
        if (inFlight > buffer * 3 / 4) {
            throw new InvalidGatewayConfigurationException("gateway.kafka.max-in-flight-bytes", inFlight + " bytes",
                    "must be at most three quarters of the producer's buffer-memory (" + buffer + " bytes,"
                    + " spring.kafka.producer.buffer-memory): lower it or raise buffer-memory");
        }
    }

    @Bean
    InFlightBudget kafkaInFlightBudget(GatewayProperties properties) {
        return new InFlightBudget(properties.kafka().maxInFlightBytes().toBytes());
    }

    @Bean
    AckWriter kafkaAckWriter() {
        return new AckWriter();
    }

    @Bean
    ForwardOutcomes kafkaForwardOutcomes(InFlightBudget budget, AckWriter acks) {
        return new ForwardOutcomes(budget, acks);
    }

    @Bean(FRAMES_FLOW)
    DirectChannel kafkaFrames() {
        return new DirectChannel();
    }

    /** Kafka's answers come back through the template's producer listener, {@link ForwardOutcomes}. */
    @Bean
    IntegrationFlow kafkaFramesFlow(GatewayProducer producer) {
        return IntegrationFlow.from(FRAMES_FLOW)
                .handle(Kafka.outboundChannelAdapter(producer.template()), (endpoint) -> endpoint.id(FRAMES_FLOW + "Adapter"))
                .get();
    }

    @Bean
    ForwardStreams kafkaForwardStreams(GatewayProperties properties, MeterRegistry meters, InFlightBudget budget,
            ForwardOutcomes outcomes, PeerRegistry registry, @Qualifier(FRAMES_FLOW) MessageChannel kafkaFrames) {
        ForwardStreams streams = new ForwardStreams(properties.kafka(), properties.cluster().nodeId(), meters, budget,
                kafkaFrames, outcomes);
        registry.tell(streams);
        return streams;
    }

    /** Spring Integration's per-message timers off for the per-frame flow, once every component exists. */
    @Bean
    ApplicationListener<ContextRefreshedEvent> kafkaFramesWithoutPerMessageMetrics(ListableBeanFactory beans) {
        return (refreshed) -> PerMessageMetrics.switchOff(beans, FRAMES_FLOW, "kafkaFramesFlow");
    }

    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin kafkaAdmin, ForwardStreams streams) {
        return new KafkaHealthIndicator(kafkaAdmin.getConfigurationProperties(), streams);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnExpression("${gateway.kafka.enabled:false} and !'${gateway.kafka.events-topic:gateway.events}'.isBlank()")
    static class Events {

        @Bean
        QueueChannel kafkaEvents(GatewayProperties properties) {
            return new QueueChannel(properties.kafka().maxPendingEvents());
        }

        @Bean
        LifecycleEvents kafkaLifecycleEvents(GatewayProperties properties, QueueChannel kafkaEvents, MeterRegistry meters,
                PeerRegistry registry) {
            String topic = Objects.requireNonNull(properties.kafka().eventsTopicOrNull(), "the condition");
            LifecycleEvents events = new LifecycleEvents(topic, properties.cluster().nodeId(), kafkaEvents, meters);
            registry.tell(events);
            return events;
        }

        @Bean
        IntegrationFlow kafkaEventsFlow(QueueChannel kafkaEvents, GatewayProducer producer) {
            DirectChannel failed = new DirectChannel();
            failed.subscribe((error) -> log.warn("A lifecycle event could not be stored in Kafka: {}", error.getPayload()));
            return IntegrationFlow.from(kafkaEvents)
                    .handle(Kafka.outboundChannelAdapter(producer.template()).sendFailureChannel(failed),
                            (endpoint) -> endpoint.poller(Pollers.fixedDelay(Duration.ofMillis(20)).maxMessagesPerPoll(1000)))
                    .get();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnExpression("${gateway.kafka.enabled:false} and !'${gateway.kafka.commands-topic:}'.isBlank()")
    static class Commands {

        @Bean
        PrincipalCommands kafkaPrincipalCommands(PrincipalCalls calls, MeterRegistry meters) {
            return new PrincipalCommands(calls, meters);
        }

        /**
         * One group across pods, one record at a time, committed once handled ({@code AckMode.RECORD}); a record
         * that cannot be carried out now is tried again four times a second apart, then counted as failed and
         * committed, so it never blocks its partition. A new group starts at the earliest command, unless
         * {@code spring.kafka.consumer.auto-offset-reset} says otherwise: no command sent before the first pod
         * started is lost.
         */
        @Bean
        @SuppressWarnings("unchecked")
        IntegrationFlow kafkaCommandsFlow(ConsumerFactory<?, ?> kafkaConsumerFactory, KafkaProperties boot,
                GatewayProperties properties, PrincipalCommands commands) {
            GatewayKafkaProperties kafka = properties.kafka();
            Properties consumer = new Properties();
            consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            if (boot.getConsumer().getAutoOffsetReset() == null) {
                consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            }
            ContainerProperties container = new ContainerProperties(Objects.requireNonNull(kafka.commandsTopicOrNull(), "the condition"));
            container.setGroupId(kafka.consumerGroup());
            container.setClientId("tcp-gateway-" + properties.cluster().nodeId());
            container.setAckMode(AckMode.RECORD);
            container.setKafkaConsumerProperties(consumer);
            ConcurrentMessageListenerContainer<String, String> listener = new ConcurrentMessageListenerContainer<>(
                    (ConsumerFactory<String, String>) kafkaConsumerFactory, container);
            listener.setCommonErrorHandler(new DefaultErrorHandler(commands::failed, new FixedBackOff(1000, 4)));
            return IntegrationFlow.from(Kafka.messageDrivenChannelAdapter(listener, ListenerMode.record))
                    .handle(commands::handle)
                    .get();
        }
    }
}
