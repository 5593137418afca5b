package io.tcpgateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tcpgateway.support.GatewayConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;

/**
 * CONTRACT section 2: overriding one property of one listener changes that property alone; the rest
 * of the listener still comes from application.yml. Bound in-process over the project's application.yml
 * (ProcessLifecycleIT does the same with a real command line and a real environment).
 */
class ConfigurationOverridesTest {

    @Test
    void oneListenerPropertyOverridesOnlyThatProperty() {
        GatewayProperties properties = GatewayConfig.bindWithDefaults(Map.of("gateway.listeners[0].port", "9001"));
        assertThat(properties.listeners()).hasSize(1);
        ListenerProperties chat = properties.listeners().get(0);
        assertThat(chat.port()).isEqualTo(9001);
        assertThat(chat.name()).as("from application.yml").isEqualTo("chat");
        assertThat(chat.mode()).isEqualTo(Mode.BROADCAST);
        assertThat(chat.maxConnections()).isEqualTo(10_000);
    }

    @Test
    void aSecondListenerCanBeAddedBesideTheDocumentedOne() {
        GatewayProperties properties = GatewayConfig.bindWithDefaults(Map.of("gateway.listeners[1].name", "echo",
                "gateway.listeners[1].port", "9002", "gateway.listeners[1].mode", "echo"));
        assertThat(properties.listeners()).extracting(ListenerProperties::name).containsExactly("chat", "echo");
        assertThat(properties.listeners().get(1).framing()).as("defaults apply to the new one").isEqualTo(Framing.LINE);
    }

    @Test
    void modesAndFramingsAreReadAsWrittenInAnyCase() {
        GatewayProperties properties = GatewayConfig.bindWithDefaults(Map.of("gateway.listeners[0].mode", "ECHO",
                "gateway.listeners[0].framing", "length_prefix"));
        assertThat(properties.listeners().get(0).mode()).isEqualTo(Mode.ECHO);
        assertThat(properties.listeners().get(0).framing()).isEqualTo(Framing.LENGTH_PREFIX);
    }

    @Test
    void aGapInTheListenerNumbersIsRefusedNamingIt() {
        BindException failure = catchThrowableOfType(BindException.class, () -> GatewayConfig.bindWithDefaults(
                Map.of("gateway.listeners[2].name", "far", "gateway.listeners[2].port", "9003")));
        assertThat(GatewayConfig.describe(failure)).contains("gateway.listeners[2]").contains("without gaps");
    }

    @Test
    void listenersKeyedByNameAreRefusedWithTheFormToUse() {
        BindException failure = catchThrowableOfType(BindException.class, () -> GatewayConfig.bindWithDefaults(
                Map.of("gateway.listeners.chat.port", "9001")));
        assertThat(GatewayConfig.describe(failure)).contains("gateway.listeners.chat").contains("gateway.listeners[0].name=");
    }
}
