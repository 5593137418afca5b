package io.tcpgateway.config;

import jakarta.validation.Valid;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Everything under {@code gateway.*}. Cross-field rules (unique names and ports, timeout above
 * interval) live in {@link GatewayPropertiesValidator} so that their messages name the property.
 *
 * @param listeners the TCP listeners; when none is configured, {@code chat} on port 9000
 * @param heartbeat liveness of peers
 * @param outbound per-connection outbound flow control
 * @param shutdown graceful shutdown
 * @param admin the management API
 * @param cluster several pods joined through Redis
 */
@Validated
@ConfigurationProperties("gateway")
public record GatewayProperties(
        List<@Valid ListenerProperties> listeners,
        // Nested: the configuration processor then lists every leaf (gateway.heartbeat.interval, ...)
        // with its description and default, for IDEs.
        @Valid @DefaultValue @NestedConfigurationProperty HeartbeatProperties heartbeat,
        @Valid @DefaultValue @NestedConfigurationProperty OutboundProperties outbound,
        @Valid @DefaultValue @NestedConfigurationProperty ShutdownProperties shutdown,
        @Valid @DefaultValue @NestedConfigurationProperty AdminProperties admin,
        @Valid @DefaultValue @NestedConfigurationProperty ClusterProperties cluster) {

    // An explicit canonical constructor: the binder reads its parameters, so the defaults are repeated
    // here (component annotations do not reach it), and a section left out of the YAML gets its defaults.
    public GatewayProperties(@Nullable List<ListenerProperties> listeners, @DefaultValue HeartbeatProperties heartbeat,
            @DefaultValue OutboundProperties outbound, @DefaultValue ShutdownProperties shutdown,
            @DefaultValue AdminProperties admin, @DefaultValue ClusterProperties cluster) {
        this.listeners = (listeners == null) ? List.of(ListenerProperties.defaultChat()) : List.copyOf(listeners);
        this.heartbeat = heartbeat;
        this.outbound = outbound;
        this.shutdown = shutdown;
        this.admin = admin;
        this.cluster = cluster;
    }
}
