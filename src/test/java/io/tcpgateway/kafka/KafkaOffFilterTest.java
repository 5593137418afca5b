package io.tcpgateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** Boot's Kafka auto-configuration is vetoed unless gateway.kafka.enabled; every other one is left to Boot. */
class KafkaOffFilterTest {

    static final String[] CANDIDATES = {
        "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
        "org.springframework.boot.kafka.autoconfigure.metrics.KafkaMetricsAutoConfiguration",
        "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
        null };

    @Test
    void kafkaOffVetoesKafkasAutoConfigurationsOnly() {
        KafkaOffFilter filter = new KafkaOffFilter();
        filter.setEnvironment(new MockEnvironment());
        assertThat(filter.match(CANDIDATES, null)).containsExactly(false, false, true, true);
    }

    @Test
    void kafkaOnLeavesEverythingToBoot() {
        KafkaOffFilter filter = new KafkaOffFilter();
        filter.setEnvironment(new MockEnvironment().withProperty("gateway.kafka.enabled", "true"));
        assertThat(filter.match(CANDIDATES, null)).containsExactly(true, true, true, true);
    }
}
