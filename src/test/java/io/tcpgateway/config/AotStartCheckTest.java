package io.tcpgateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/** A Spring AOT start (conditions decided at build time, with cluster, Kafka and JWT off) refuses any switched on. */
class AotStartCheckTest {

    private final AotStartCheck check = new AotStartCheck();

    @AfterEach
    void clearFlag() {
        System.clearProperty(AotDetector.AOT_ENABLED);
    }

    @Test
    void withoutAotAnythingGoes() {
        MockEnvironment environment = new MockEnvironment().withProperty("gateway.cluster.enabled", "true")
                .withProperty("gateway.kafka.enabled", "true");
        assertThatNoException().isThrownBy(() -> check.postProcessEnvironment(environment, new SpringApplication()));
    }

    @Test
    void withAotTheDefaultsStart() {
        System.setProperty(AotDetector.AOT_ENABLED, "true");
        assertThatNoException().isThrownBy(() -> check.postProcessEnvironment(new MockEnvironment(), new SpringApplication()));
    }

    @Test
    void withAotTheClusterKafkaOrJwtStopsStartNamingTheProperty() {
        System.setProperty(AotDetector.AOT_ENABLED, "true");
        for (String property : new String[] { "gateway.cluster.enabled", "gateway.kafka.enabled", "gateway.auth.jwt.enabled" }) {
            MockEnvironment environment = new MockEnvironment().withProperty(property, "true");
            assertThatThrownBy(() -> check.postProcessEnvironment(environment, new SpringApplication()))
                    .isInstanceOfSatisfying(InvalidGatewayConfigurationException.class, (ex) -> {
                        assertThat(ex.property()).isEqualTo(property);
                        assertThat(ex.reason()).contains("spring.aot.enabled");
                    });
        }
    }
}
