package io.tcpgateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * Boot's Kafka auto-configuration is vetoed unless gateway.kafka.enabled, its Redis one unless
 * gateway.cluster.enabled; every other one is left to Boot.
 */
class SwitchedOffAutoConfigurationsTest {

    static final String[] CANDIDATES = {
        "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
        "org.springframework.boot.kafka.autoconfigure.metrics.KafkaMetricsAutoConfiguration",
        "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
        "org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
        "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration",
        null };

    @Test
    void bothOffVetoesKafkaAndRedisOnly() {
        assertThat(filter(new MockEnvironment()).match(CANDIDATES, null))
                .containsExactly(false, false, false, false, true, true);
    }

    @Test
    void kafkaOnLeavesKafkaToBoot() {
        assertThat(filter(new MockEnvironment().withProperty("gateway.kafka.enabled", "true")).match(CANDIDATES, null))
                .containsExactly(true, true, false, false, true, true);
    }

    @Test
    void clusterOnLeavesRedisToBoot() {
        assertThat(filter(new MockEnvironment().withProperty("gateway.cluster.enabled", "true")).match(CANDIDATES, null))
                .containsExactly(false, false, true, true, true, true);
    }

    private static SwitchedOffAutoConfigurations filter(MockEnvironment environment) {
        SwitchedOffAutoConfigurations filter = new SwitchedOffAutoConfigurations();
        filter.setEnvironment(environment);
        return filter;
    }
}
