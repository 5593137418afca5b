package io.tcpgateway.config;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Off means off: Spring Boot's Kafka auto-configuration only with {@code gateway.kafka.enabled}, its Redis
 * auto-configuration only with {@code gateway.cluster.enabled}. The libraries are on the class path for the
 * gateways that use them; without this, every other gateway would build Kafka's factories and listener
 * machinery (about 400 classes, 25 MB at rest) and Lettuce's client, its Netty event loops and two Redis
 * templates (about 0.5 s of start-up) for nothing. Registered in {@code META-INF/spring.factories}, Boot's own
 * way of vetoing auto-configurations before they are parsed.
 */
public final class SwitchedOffAutoConfigurations implements AutoConfigurationImportFilter, EnvironmentAware {

    private static final String KAFKA = "org.springframework.boot.kafka.autoconfigure.";
    private static final String REDIS = "org.springframework.boot.data.redis.autoconfigure.";

    private boolean kafkaEnabled;
    private boolean clusterEnabled;

    @Override
    public void setEnvironment(Environment environment) {
        this.kafkaEnabled = environment.getProperty("gateway.kafka.enabled", Boolean.class, false);
        this.clusterEnabled = environment.getProperty("gateway.cluster.enabled", Boolean.class, false);
    }

    @Override
    public boolean[] match(@Nullable String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean[] matches = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < autoConfigurationClasses.length; i++) {
            String candidate = autoConfigurationClasses[i];
            matches[i] = candidate == null || (kafkaEnabled || !candidate.startsWith(KAFKA))
                    && (clusterEnabled || !candidate.startsWith(REDIS));
        }
        return matches;
    }
}
