package io.tcpgateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * Boot's Kafka auto-configuration is vetoed unless gateway.kafka.enabled, its Redis and Netty ones unless
 * gateway.cluster.enabled, its OAuth2 resource server unless gateway.auth.jwt.enabled, the never-used ones
 * always; every other one is left to Boot.
 */
class SwitchedOffAutoConfigurationsTest {

    static final String[] CANDIDATES = {
        "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
        "org.springframework.boot.kafka.autoconfigure.metrics.KafkaMetricsAutoConfiguration",
        "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
        "org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
        "org.springframework.boot.netty.autoconfigure.NettyAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration",
        "org.springframework.boot.data.autoconfigure.web.DataWebAutoConfiguration",
        "org.springframework.boot.servlet.autoconfigure.MultipartAutoConfiguration",
        "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration",
        null };

    @Test
    void allOffVetoesKafkaRedisNettyAndTheResourceServer() {
        assertThat(filter(new MockEnvironment()).match(CANDIDATES, null))
                .containsExactly(false, false, false, false, false, false, false, false, true, true);
    }

    @Test
    void kafkaOnLeavesKafkaToBoot() {
        assertThat(filter(new MockEnvironment().withProperty("gateway.kafka.enabled", "true")).match(CANDIDATES, null))
                .containsExactly(true, true, false, false, false, false, false, false, true, true);
    }

    @Test
    void clusterOnLeavesRedisAndNettyToBoot() {
        assertThat(filter(new MockEnvironment().withProperty("gateway.cluster.enabled", "true")).match(CANDIDATES, null))
                .containsExactly(false, false, true, true, true, false, false, false, true, true);
    }

    @Test
    void jwtOnLeavesTheResourceServerToBoot() {
        assertThat(filter(new MockEnvironment().withProperty("gateway.auth.jwt.enabled", "true")).match(CANDIDATES, null))
                .containsExactly(false, false, false, false, false, true, false, false, true, true);
    }

    @Test
    void theNeverUsedAreVetoedWhateverIsOn() {
        MockEnvironment everythingOn = new MockEnvironment().withProperty("gateway.kafka.enabled", "true")
                .withProperty("gateway.cluster.enabled", "true").withProperty("gateway.auth.jwt.enabled", "true");
        String[] neverUsed = SwitchedOffAutoConfigurations.NEVER_USED.toArray(String[]::new);
        assertThat(filter(everythingOn).match(neverUsed, null)).containsOnly(false);
    }

    /** A name Boot renamed would veto nothing, silently: every name the filter knows must be a class here. */
    @Test
    void everyNamedAutoConfigurationExists() {
        List<String> named = new ArrayList<>(SwitchedOffAutoConfigurations.NEVER_USED);
        for (String candidate : CANDIDATES) {
            if (candidate != null) {
                named.add(candidate);
            }
        }
        ClassLoader loader = getClass().getClassLoader();
        for (String name : named) {
            assertThatCode(() -> Class.forName(name, false, loader)).as(name).doesNotThrowAnyException();
        }
    }

    private static SwitchedOffAutoConfigurations filter(MockEnvironment environment) {
        SwitchedOffAutoConfigurations filter = new SwitchedOffAutoConfigurations();
        filter.setEnvironment(environment);
        return filter;
    }
}
