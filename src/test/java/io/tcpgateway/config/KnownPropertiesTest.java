package io.tcpgateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/** Which names are gateway properties, in every spelling Spring Boot binds, and the nearest one to a typo. */
class KnownPropertiesTest {

    final KnownProperties known = KnownProperties.ofGateway();

    @Test
    void everyPropertyOfTheConfigurationMetadataIsKnown() throws IOException {
        List<String> metadata = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            JsonMapper.builder().build().readTree(in).get("properties")
                    .forEach((property) -> metadata.add(property.get("name").asString()));
        }
        metadata.removeIf((name) -> !name.startsWith("gateway."));
        assertThat(metadata).hasSizeGreaterThan(30).allSatisfy((name) -> assertThat(known.isKnown(name) || known.isSection(name)).as(name).isTrue());
        assertThat(known.names()).contains("gateway.listeners[*].max-connections", "gateway.auth.tokens.*",
                "gateway.inbound.frame-timeout");
    }

    @ParameterizedTest
    @ValueSource(strings = { "gateway.heartbeat.interval", "gateway.listeners[0].max-connections", "gateway.listeners[12].port",
            "gateway.listeners[0].maxConnections", "gateway.listeners.0.max_connections", "gateway.outbound.maxStall",
            "GATEWAY_HEARTBEAT_INTERVAL", "GATEWAY_LISTENERS_0_MAXCONNECTIONS", "GATEWAY_LISTENERS_0_MAX_CONNECTIONS",
            "GATEWAY_AUTH_TOKENS_DEVICEA", "gateway.auth.tokens.device-a", "gateway.auth.tokens",
            "gateway.listeners[0].trusted-proxies[1]", "gateway.listeners[0].trusted-proxies", "GATEWAY_ADMIN_PASSWORD" })
    void everySpellingSpringBootBindsIsKnown(String name) {
        assertThat(known.isKnown(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "gateway.heartbeat.intervall", "gateway.listeners[0].max-conections", "gateway.limits.max",
            "GATEWAY_HEARTBEAT_INTERVALL", "GATEWAY_LISTENERS_0_MAX_CONECTIONS", "gateway.auth.tokensx",
            "gateway.listeners[0]port", "gateway.heartbeat" })
    void typosAreNot(String name) {
        assertThat(known.isKnown(name)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({ "gateway.heartbeat.intervall, gateway.heartbeat.interval",
            "gateway.listeners[3].max-conections, gateway.listeners[3].max-connections",
            "GATEWAY_LISTENERS_0_MAX_CONECTIONS, gateway.listeners[0].max-connections",
            "gateway.outbound.max-stal, gateway.outbound.max-stall" })
    void theNearestKnownPropertyIsSuggested(String typo, String suggestion) {
        assertThat(known.nearest(typo)).isEqualTo(suggestion);
    }

    @Test
    void nothingIsSuggestedForANameFarFromEveryProperty() {
        assertThat(known.nearest("gateway.something.completely.different.and.long")).isNull();
    }
}
