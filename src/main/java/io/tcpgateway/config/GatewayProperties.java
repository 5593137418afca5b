package io.tcpgateway.config;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything under {@code gateway.*}. Every rule, of one value or across several (unique names and ports,
 * timeout above interval), lives in {@link GatewayPropertiesValidator} so that its message names the property. An
 * unknown key under {@code gateway.*} (a typo) stops start-up naming it.
 *
 * @param listeners the TCP listeners; when none is configured, {@code chat} on port 9000
 * @param heartbeat liveness of peers
 * @param outbound per-connection outbound flow control
 * @param inbound memory held for what clients send, gateway-wide
 * @param shutdown graceful shutdown
 * @param admin the management API
 * @param cluster several pods joined through Redis
 * @param flapping flapping detection and bans
 * @param auth client authentication on listeners with {@code auth: token}
 * @param principals addressing a client by who it is, and its offline queue
 * @param kafka Kafka both ways: frames of {@code forward} listeners, lifecycle events, commands to principals
 */
@ConfigurationProperties(prefix = "gateway", ignoreUnknownFields = false)
public record GatewayProperties(
        List<ListenerProperties> listeners,
        // Nested: the configuration processor then lists every leaf (gateway.heartbeat.interval, ...)
        // with its description and default, for IDEs.
        @NestedConfigurationProperty HeartbeatProperties heartbeat,
        @NestedConfigurationProperty OutboundProperties outbound,
        @NestedConfigurationProperty InboundProperties inbound,
        @NestedConfigurationProperty ShutdownProperties shutdown,
        @NestedConfigurationProperty AdminProperties admin,
        @NestedConfigurationProperty ClusterProperties cluster,
        @NestedConfigurationProperty FlappingProperties flapping,
        @NestedConfigurationProperty AuthProperties auth,
        @NestedConfigurationProperty PrincipalsProperties principals,
        @NestedConfigurationProperty GatewayKafkaProperties kafka) {

    public GatewayProperties {
        listeners = List.copyOf(listeners);
    }

    /**
     * What the binder calls. Listeners are bound as a map keyed by their index, not as a list: Spring
     * Boot replaces a list as a whole when a higher property source (the command line, the environment)
     * sets any element of it, but merges maps key by key, so {@code --gateway.listeners[0].port=9001}
     * changes that one property and the rest of listener 0 still comes from application.yml. The YAML
     * list and the {@code [0]} forms both bind to keys "0", "1", ...
     */
    @ConstructorBinding
    public GatewayProperties(@Nullable Map<String, ListenerProperties> listeners,
            @DefaultValue HeartbeatProperties heartbeat, @DefaultValue OutboundProperties outbound,
            @DefaultValue InboundProperties inbound, @DefaultValue ShutdownProperties shutdown, @DefaultValue AdminProperties admin,
            @DefaultValue ClusterProperties cluster, @DefaultValue FlappingProperties flapping,
            @DefaultValue AuthProperties auth, @DefaultValue PrincipalsProperties principals,
            @DefaultValue GatewayKafkaProperties kafka) {
        this(inIndexOrder(listeners), heartbeat, outbound, inbound, shutdown, admin, cluster, flapping, auth, principals, kafka);
    }

    /** Listeners "0" to "n-1" as a list; none configured: {@code chat} on port 9000. */
    private static List<ListenerProperties> inIndexOrder(@Nullable Map<String, ListenerProperties> byIndex) {
        if (byIndex == null || byIndex.isEmpty()) {
            return List.of(ListenerProperties.defaultChat());
        }
        ListenerProperties[] ordered = new ListenerProperties[byIndex.size()];
        byIndex.forEach((key, listener) -> {
            int index = key.matches("[0-9]{1,9}") ? Integer.parseInt(key) : -1;
            if (index < 0) {
                throw new InvalidGatewayConfigurationException("gateway.listeners." + key, key,
                        "listeners are a list numbered from 0: gateway.listeners[0].name=..., gateway.listeners[1].name=...");
            }
            if (index >= ordered.length) {
                throw new InvalidGatewayConfigurationException("gateway.listeners[" + index + "]", index,
                        "listeners are numbered from 0 without gaps, and " + ordered.length + " are configured");
            }
            if (ordered[index] != null) {
                throw new InvalidGatewayConfigurationException("gateway.listeners." + key, key,
                        "listener " + index + " is configured twice (as [" + index + "] and as ." + key + ")");
            }
            ordered[index] = listener;
        });
        return List.of(ordered);
    }
}
