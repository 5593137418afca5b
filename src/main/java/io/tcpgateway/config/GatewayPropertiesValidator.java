package io.tcpgateway.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.security.util.matcher.InetAddressMatchers;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The cross-field rules of {@link GatewayProperties}. Each rejection names the offending property
 * (e.g. {@code gateway.listeners[1].port}), so Boot's start-up failure report shows the property,
 * its value and the reason.
 */
public class GatewayPropertiesValidator implements Validator {

    /** A frame is held in one array; leave room for the framing bytes around it. */
    static final int MAX_FRAME_LIMIT = Integer.MAX_VALUE - 16;
    /** The most framing any codec adds around a payload (a 4-byte length prefix). */
    static final int FRAMING_BYTES = 4;

    private static final Pattern LISTENER_NAME = Pattern.compile("[a-z0-9-]+");
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");
    private static final Pattern CHANNEL_PREFIX = Pattern.compile("[^\\s*?\\[\\]]+");
    private static final Pattern TOKEN_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern KAFKA_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    @Override
    public boolean supports(Class<?> type) {
        return GatewayProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        GatewayProperties properties = (GatewayProperties) target;
        validateSingleValues(properties, errors);
        validateListeners(properties.listeners(), errors);
        validateHeartbeat(properties.heartbeat(), errors);
        if (properties.outbound() != null && properties.outbound().maxPendingBytes().toBytes() <= 0) {
            errors.rejectValue("outbound.max-pending-bytes", "positive", "must be greater than 0");
        }
        if (properties.outbound() != null && properties.outbound().maxStall().isNegative()) {
            errors.rejectValue("outbound.max-stall", "notNegative", "must not be negative");
        }
        if (properties.outbound() != null) {
            validateFramesFitTheBacklog(properties.listeners(), properties.outbound().maxPendingBytes().toBytes(), errors);
        }
        if (properties.outbound() != null && !properties.outbound().writeDeadline().isPositive()) {
            errors.rejectValue("outbound.write-deadline", "positive", "must be greater than 0");
        }
        if (properties.inbound() != null) {
            validateInbound(properties.inbound(), properties.listeners(), errors);
        }
        if (properties.shutdown() != null && properties.shutdown().drainTimeout().isNegative()) {
            errors.rejectValue("shutdown.drain-timeout", "notNegative", "must not be negative");
        }
        if (properties.shutdown() != null && properties.shutdown().gracePeriod().isNegative()) {
            errors.rejectValue("shutdown.grace-period", "notNegative", "must not be negative");
        }
        if (properties.shutdown() != null && properties.shutdown().evictRate() < 0) {
            errors.rejectValue("shutdown.evict-rate", "notNegative", "must not be negative (0 = all at once)");
        }
        if (properties.cluster() != null) {
            validateCluster(properties.cluster(), errors);
        }
        if (properties.admin() != null && !properties.admin().loginFailureWindow().isPositive()) {
            errors.rejectValue("admin.login-failure-window", "positive", "must be greater than 0");
        }
        if (properties.auth() != null) {
            validateAuth(properties, errors);
        }
        if (properties.principals() != null) {
            validatePrincipalQueue(properties.principals().queue(), errors);
        }
        if (properties.kafka() != null) {
            validateKafka(properties.kafka(), properties.listeners(), errors);
        }
        if (properties.flapping() != null) {
            if (!properties.flapping().window().isPositive()) {
                errors.rejectValue("flapping.window", "positive", "must be greater than 0");
            }
            if (!properties.flapping().banTime().isPositive()) {
                errors.rejectValue("flapping.ban-time", "positive", "must be greater than 0");
            }
            if (properties.flapping().maxTracked() < 100) {
                errors.rejectValue("flapping.max-tracked", "min", "must be at least 100 (a smaller table forgets too soon)");
            }
        }
    }

    /**
     * The budget for partial frames must fit the heap with room to spare (outbound backlogs, the flow,
     * Spring itself), and must hold the longest frame any listener takes, or that frame could never be
     * put together.
     */
    private void validateInbound(InboundProperties inbound, List<ListenerProperties> listeners, Errors errors) {
        if (!inbound.frameTimeout().isPositive()) {
            errors.rejectValue("inbound.frame-timeout", "positive", "must be greater than 0");
        }
        if (inbound.reservedDescriptors() < 0) {
            errors.rejectValue("inbound.reserved-descriptors", "notNegative", "must not be negative (0 = no reserve)");
        }
        long budget = inbound.budgetBytes();
        long heap = Runtime.getRuntime().maxMemory();
        String given = (inbound.maxBufferedBytes() != null) ? "" : " (the default, a quarter of the heap)";
        if (budget <= 0) {
            errors.rejectValue("inbound.max-buffered-bytes", "positive", "must be greater than 0");
        }
        else if (budget > heap / 2) {
            errors.rejectValue("inbound.max-buffered-bytes", "heap", budget + " bytes is more than half of this JVM's heap ("
                    + heap + " bytes): clients could run the process out of memory; lower it or raise -Xmx");
        }
        for (int i = 0; i < listeners.size(); i++) {
            int maxFrame = listeners.get(i).maxFrameBytes();
            if (budget > 0 && maxFrame > budget) {
                errors.rejectValue("inbound.max-buffered-bytes", "frame", budget + " bytes" + given
                        + " is less than gateway.listeners[" + i + "].max-frame-bytes (" + maxFrame
                        + "): such a frame could never be put together; raise it (or -Xmx) or lower max-frame-bytes");
            }
        }
    }

    private void validateCluster(ClusterProperties cluster, Errors errors) {
        if (!NODE_ID.matcher(cluster.nodeId()).matches()) {
            errors.rejectValue("cluster.node-id", "pattern",
                    "must be 1 to 200 letters, digits, '.', '_' or '-', not starting with '.' (it becomes part of connection ids)");
        }
        if (cluster.channelPrefix().isBlank() || !CHANNEL_PREFIX.matcher(cluster.channelPrefix()).matches()) {
            errors.rejectValue("cluster.channel-prefix", "pattern", "must not be blank or hold spaces or * ? [ ]");
        }
        if (cluster.maxPendingFrames() <= 0) {
            errors.rejectValue("cluster.max-pending-frames", "positive", "must be greater than 0");
        }
        if (cluster.requestTimeout().isNegative() || cluster.requestTimeout().isZero()) {
            errors.rejectValue("cluster.request-timeout", "positive", "must be greater than 0");
        }
    }

    private void validateListeners(List<ListenerProperties> listeners, Errors errors) {
        if (listeners.isEmpty()) {
            errors.rejectValue("listeners", "notEmpty", "at least one listener is needed");
        }
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> ports = new HashMap<>();
        for (int i = 0; i < listeners.size(); i++) {
            ListenerProperties listener = listeners.get(i);
            validateListener(listener, "listeners[" + i + "].", errors);
            if (listener.name() != null) {
                Integer first = names.putIfAbsent(listener.name(), i);
                if (first != null) {
                    errors.rejectValue("listeners[" + i + "].name", "duplicate",
                            "duplicate listener name, already used by gateway.listeners[" + first + "]");
                }
            }
            if (listener.port() != null && listener.port() != 0) {
                Integer first = ports.putIfAbsent(listener.bindAddress() + ":" + listener.port(), i);
                if (first != null) {
                    errors.rejectValue("listeners[" + i + "].port", "duplicate",
                            "duplicate listener port, already used by gateway.listeners[" + first + "]");
                }
            }
        }
    }

    /**
     * The rules of single values that were Bean Validation annotations: a listener's name (no default;
     * {@code [a-z0-9-]+}: it becomes a Service port name) and port (no default; 0 to 65535), the ping, the admin
     * user, and counts at their minimum. Values with a default need no null check: an empty one is refused while
     * binding. Here rather than as annotations: Hibernate Validator's start took about 0.25 s and 26 MB of every
     * start-up for these (docs/benchmark.md, "Start-up beside bare Spring Boot"). Every check after it reads a
     * listener's name and port only when they are there, so all problems are reported at once.
     */
    private static void validateSingleValues(GatewayProperties properties, Errors errors) {
        for (int i = 0; i < properties.listeners().size(); i++) {
            ListenerProperties listener = properties.listeners().get(i);
            String prefix = "listeners[" + i + "].";
            if (listener.name() == null || listener.name().isBlank()) {
                errors.rejectValue(prefix + "name", "notBlank", "must not be blank");
            }
            else if (!LISTENER_NAME.matcher(listener.name()).matches()) {
                errors.rejectValue(prefix + "name", "pattern", "must match [a-z0-9-]+");
            }
            if (listener.port() == null) {
                errors.rejectValue(prefix + "port", "notNull", "must not be null");
            }
            else if (listener.port() < 0 || listener.port() > 65535) {
                errors.rejectValue(prefix + "port", "range", "must be between 0 and 65535");
            }
        }
        if (properties.heartbeat() != null && properties.heartbeat().ping().isEmpty()) {
            errors.rejectValue("heartbeat.ping", "notEmpty", "must not be empty");
        }
        AdminProperties admin = properties.admin();
        if (admin != null) {
            if (admin.username().isBlank()) {
                errors.rejectValue("admin.username", "notBlank", "must not be blank");
            }
            atLeast(errors, "admin.closed-history", admin.closedHistory(), 0);
            atLeast(errors, "admin.max-login-failures", admin.maxLoginFailures(), 1);
        }
        if (properties.flapping() != null) {
            atLeast(errors, "flapping.max-count", properties.flapping().maxCount(), 1);
            atLeast(errors, "flapping.max-auth-failures", properties.flapping().maxAuthFailures(), 1);
        }
    }

    private static void atLeast(Errors errors, String property, int value, int minimum) {
        if (value < minimum) {
            errors.rejectValue(property, "min", "must be greater than or equal to " + minimum);
        }
    }

    private static String readable(Duration duration) {
        return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    private void validateListener(ListenerProperties listener, String prefix, Errors errors) {
        if (listener.bindAddress() == null || listener.bindAddress().isBlank()) {
            errors.rejectValue(prefix + "bind-address", "notBlank", "must not be blank");
        }
        if (listener.maxFrameBytes() < 1 || listener.maxFrameBytes() > MAX_FRAME_LIMIT) {
            errors.rejectValue(prefix + "max-frame-bytes", "range", "must be between 1 and " + MAX_FRAME_LIMIT);
        }
        if (listener.maxConnections() < 1) {
            errors.rejectValue(prefix + "max-connections", "positive", "must be greater than 0");
        }
        if (listener.maxConnectRate() < 0 || listener.maxConnectRate() > 1_000_000) {
            errors.rejectValue(prefix + "max-connect-rate", "range", "must be between 0 (no limit) and 1000000 per second");
        }
        if (listener.maxConnectionsPerSource() < 0) {
            errors.rejectValue(prefix + "max-connections-per-source", "notNegative", "must not be negative (0 = no limit)");
        }
        if (listener.maxFramesPerSecond() < 0) {
            errors.rejectValue(prefix + "max-frames-per-second", "notNegative", "must not be negative (0 = no limit)");
        }
        if (listener.maxFramesBurst() != null && listener.maxFramesBurst() < 1) {
            errors.rejectValue(prefix + "max-frames-burst", "positive", "must be greater than 0");
        }
        if (listener.maxFramesBurst() != null && listener.maxFramesPerSecond() == 0) {
            errors.rejectValue(prefix + "max-frames-burst", "needsRate", "applies only with max-frames-per-second");
        }
        if (listener.proxyHeaderTimeout() != null && !listener.proxyHeaderTimeout().isPositive()) {
            errors.rejectValue(prefix + "proxy-header-timeout", "positive", "must be greater than 0");
        }
        List<String> trusted = (listener.trustedProxies() != null) ? listener.trustedProxies() : List.of();
        for (int i = 0; i < trusted.size(); i++) {
            try {
                InetAddressMatchers.fromIpAddress(trusted.get(i));
            }
            catch (IllegalArgumentException notARange) {
                errors.rejectValue(prefix + "trusted-proxies[" + i + "]", "range",
                        "must be an IP address or a CIDR range such as 10.0.0.0/8 (no host names)");
            }
        }
    }

    private void validateAuth(GatewayProperties properties, Errors errors) {
        AuthProperties auth = properties.auth();
        if (auth.timeout() != null && !auth.timeout().isPositive()) {
            errors.rejectValue("auth.timeout", "positive", "must be greater than 0");
        }
        auth.tokens().forEach((name, hash) -> {
            if (!TOKEN_NAME.matcher(name).matches()) {
                errors.rejectValue("auth.tokens", "name", "token name '" + name + "' must be letters, digits, '.', '_' or '-'"
                        + " (it becomes the connection's principal)");
            }
            if (hash == null || !SHA256_HEX.matcher(hash).matches()) {
                errors.rejectValue("auth.tokens", "sha256", "gateway.auth.tokens." + name + " must be the SHA-256 of the token"
                        + " as 64 hex digits (printf %s \"$TOKEN\" | sha256sum), never the token itself");
            }
        });
        List<ListenerProperties> listeners = properties.listeners();
        for (int i = 0; i < listeners.size(); i++) {
            ListenerProperties listener = listeners.get(i);
            if (listener.auth() == Auth.TOKEN && auth.tokens().isEmpty() && !auth.jwt().enabled()) {
                errors.rejectValue("listeners[" + i + "].auth", "tokens", "token needs gateway.auth.tokens.<name> or"
                        + " gateway.auth.jwt.enabled=true: no token could ever be accepted");
            }
            if (listener.auth() == Auth.NONE && listener.duplicatePrincipal() != null
                    && listener.duplicatePrincipal() != DuplicatePrincipal.ALLOW) {
                errors.rejectValue("listeners[" + i + "].duplicate-principal", "auth", listener.duplicatePrincipal().configName()
                        + " needs auth: token or client-cert on the listener (without it no connection has a principal)");
            }
            if (listener.auth() == Auth.CLIENT_CERT && !listener.tls()) {
                errors.rejectValue("listeners[" + i + "].auth", "tls", "client-cert needs an ssl-bundle on the listener"
                        + " (its trust material checks the client certificates)");
            }
        }
    }

    /** The offline queue's bounds: positive, and what the process may hold of it well inside the heap. */
    private void validatePrincipalQueue(PrincipalsProperties.Queue queue, Errors errors) {
        if (queue.maxMessages() < 1) {
            errors.rejectValue("principals.queue.max-messages", "positive", "must be greater than 0");
        }
        if (queue.maxBytes() < 1) {
            errors.rejectValue("principals.queue.max-bytes", "positive", "must be greater than 0");
        }
        if (!queue.maxTtl().isPositive()) {
            errors.rejectValue("principals.queue.max-ttl", "positive", "must be greater than 0");
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (queue.maxTotalBytes().toBytes() < 1 || queue.maxTotalBytes().toBytes() > heap / 4) {
            errors.rejectValue("principals.queue.max-total-bytes", "heap", "must be greater than 0 and at most a quarter of"
                    + " this JVM's heap (" + heap + " bytes); lower it or raise -Xmx");
        }
    }

    /**
     * Kafka's topics are names Kafka accepts, its bounds positive, and {@code forward} listeners need it on;
     * the forwarding properties of a listener apply only to {@code forward} listeners.
     */
    private void validateKafka(GatewayKafkaProperties kafka, List<ListenerProperties> listeners, Errors errors) {
        for (int i = 0; i < listeners.size(); i++) {
            ListenerProperties listener = listeners.get(i);
            String prefix = "listeners[" + i + "].";
            boolean forward = listener.mode() == Mode.FORWARD;
            if (forward && !kafka.enabled()) {
                errors.rejectValue(prefix + "mode", "kafka", "forward needs gateway.kafka.enabled=true (and spring.kafka.bootstrap-servers)");
            }
            if (!forward && listener.forwardTopicOrNull() != null) {
                errors.rejectValue(prefix + "forward-topic", "forward", "applies only to mode: forward");
            }
            if (!forward && listener.forwardAcks()) {
                errors.rejectValue(prefix + "forward-acks", "forward", "applies only to mode: forward");
            }
            if (listener.forwardTopicOrNull() != null) {
                validateTopic(listener.forwardTopicOrNull(), prefix + "forward-topic", errors);
            }
        }
        validateTopic(kafka.framesTopic(), "kafka.frames-topic", errors);
        if (kafka.eventsTopicOrNull() != null) {
            validateTopic(kafka.eventsTopicOrNull(), "kafka.events-topic", errors);
        }
        if (kafka.commandsTopicOrNull() != null) {
            validateTopic(kafka.commandsTopicOrNull(), "kafka.commands-topic", errors);
            if (kafka.consumerGroup() == null || kafka.consumerGroup().isBlank()) {
                errors.rejectValue("kafka.consumer-group", "notBlank", "must not be blank when gateway.kafka.commands-topic is set");
            }
        }
        if (kafka.maxInFlightBytes().toBytes() <= 0) {
            errors.rejectValue("kafka.max-in-flight-bytes", "positive", "must be greater than 0");
        }
        long perConnection = kafka.maxInFlightBytesPerConnection().toBytes();
        if (perConnection <= 0 || perConnection > kafka.maxInFlightBytes().toBytes()) {
            errors.rejectValue("kafka.max-in-flight-bytes-per-connection", "range",
                    "must be greater than 0 and at most gateway.kafka.max-in-flight-bytes (" + kafka.maxInFlightBytes() + ")");
        }
        if (kafka.maxPendingEvents() < 1) {
            errors.rejectValue("kafka.max-pending-events", "positive", "must be greater than 0");
        }
    }

    /** Kafka's own rule for a topic name: 1 to 249 of {@code [a-zA-Z0-9._-]}, and not {@code .} or {@code ..}. */
    private void validateTopic(@Nullable String topic, String property, Errors errors) {
        if (topic == null || !KAFKA_TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            errors.rejectValue(property, "topic", "must be a Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-'");
        }
    }

    /** A frame larger than a receiver's whole backlog bound could only ever close its receivers. */
    private void validateFramesFitTheBacklog(List<ListenerProperties> listeners, long maxPendingBytes, Errors errors) {
        for (int i = 0; i < listeners.size(); i++) {
            int maxFrameBytes = listeners.get(i).maxFrameBytes();
            if (maxPendingBytes > 0 && maxFrameBytes + (long) FRAMING_BYTES > maxPendingBytes) {
                errors.rejectValue("listeners[" + i + "].max-frame-bytes", "fitsBacklog", maxFrameBytes
                        + " does not fit gateway.outbound.max-pending-bytes (" + maxPendingBytes + " bytes): a frame that"
                        + " size could never be queued to a receiver, every one would be closed as slow-consumer");
            }
        }
    }

    private void validateHeartbeat(HeartbeatProperties heartbeat, Errors errors) {
        if (heartbeat == null || heartbeat.interval() == null || heartbeat.timeout() == null) {
            return;
        }
        if (heartbeat.interval().compareTo(Duration.ZERO) <= 0) {
            errors.rejectValue("heartbeat.interval", "positive", "must be greater than 0");
        }
        if (heartbeat.timeout().compareTo(heartbeat.interval()) <= 0) {
            errors.rejectValue("heartbeat.timeout", "aboveInterval", readable(heartbeat.timeout())
                    + " must be greater than gateway.heartbeat.interval (" + readable(heartbeat.interval()) + ")");
        }
    }
}
