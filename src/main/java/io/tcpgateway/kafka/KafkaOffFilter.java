package io.tcpgateway.kafka;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Spring Boot's Kafka auto-configuration only when {@code gateway.kafka.enabled} is true: without it, a gateway that
 * forwards nothing would still build Kafka's factories, admin and listener machinery at every start (about 400
 * classes and half a second here). Registered in {@code META-INF/spring.factories}, Boot's own way of vetoing
 * auto-configurations before they are parsed.
 */
public final class KafkaOffFilter implements AutoConfigurationImportFilter, EnvironmentAware {

    private static final String KAFKA_AUTO_CONFIGURATION = "org.springframework.boot.kafka.autoconfigure.";

    private boolean kafkaEnabled;

    @Override
    public void setEnvironment(Environment environment) {
        this.kafkaEnabled = environment.getProperty("gateway.kafka.enabled", Boolean.class, false);
    }

    @Override
    public boolean[] match(@Nullable String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean[] matches = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < autoConfigurationClasses.length; i++) {
            String candidate = autoConfigurationClasses[i];
            matches[i] = kafkaEnabled || candidate == null || !candidate.startsWith(KAFKA_AUTO_CONFIGURATION);
        }
        return matches;
    }
}
