package io.tcpgateway.config;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Off means off: Spring Boot's Kafka auto-configuration only with {@code gateway.kafka.enabled}; its Redis
 * auto-configuration, and Boot's Netty settings that only Lettuce reads, only with {@code gateway.cluster.enabled};
 * its OAuth2 resource server (the JWT decoder built from {@code spring.security.oauth2.resourceserver.jwt.*}) only
 * with {@code gateway.auth.jwt.enabled}. The libraries are on the class path for the gateways that use them;
 * without this, every other gateway would build Kafka's factories and listener machinery (about 400 classes, 25 MB
 * at rest) and Lettuce's client, its Netty event loops and two Redis templates (about 0.5 s of start-up) for
 * nothing.
 *
 * <p>Some auto-configurations come with those jars although the gateway never uses what they build
 * ({@link #NEVER_USED}): Spring Data's web support and repository metrics (no repositories, no paged endpoints),
 * transactions and persistence exception translation (no transactional resource), multipart uploads (the admin
 * API takes JSON) and the reactive resource server (the gateway is a servlet application). Each is classes loaded
 * and parsed at every start for nothing.
 *
 * <p>Registered in {@code META-INF/spring.factories}, Boot's own way of vetoing auto-configurations before they
 * are parsed.
 */
public final class SwitchedOffAutoConfigurations implements AutoConfigurationImportFilter, EnvironmentAware {

    static final String KAFKA_ENABLED = "gateway.kafka.enabled";
    static final String CLUSTER_ENABLED = "gateway.cluster.enabled";
    static final String JWT_ENABLED = "gateway.auth.jwt.enabled";
    /** The switches that decide which auto-configurations exist; a Spring AOT start fixed them all off ({@link AotStartCheck}). */
    static final List<String> SWITCHES = List.of(CLUSTER_ENABLED, KAFKA_ENABLED, JWT_ENABLED);

    private static final String KAFKA = "org.springframework.boot.kafka.autoconfigure.";
    private static final String REDIS = "org.springframework.boot.data.redis.autoconfigure.";
    private static final String NETTY = "org.springframework.boot.netty.autoconfigure.NettyAutoConfiguration";
    private static final String RESOURCE_SERVER = "org.springframework.boot.security.oauth2.server.resource.autoconfigure.";

    /** Auto-configurations of things the gateway never does; {@code SwitchedOffAutoConfigurationsTest} checks each exists. */
    static final Set<String> NEVER_USED = Set.of(
            "org.springframework.boot.data.autoconfigure.web.DataWebAutoConfiguration",
            "org.springframework.boot.data.autoconfigure.metrics.DataRepositoryMetricsAutoConfiguration",
            "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
            "org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizationAutoConfiguration",
            "org.springframework.boot.persistence.autoconfigure.PersistenceExceptionTranslationAutoConfiguration",
            "org.springframework.boot.servlet.autoconfigure.MultipartAutoConfiguration",
            RESOURCE_SERVER + "reactive.ReactiveOAuth2ResourceServerAutoConfiguration",
            RESOURCE_SERVER + "web.reactive.ReactiveOAuth2ResourceServerWebSecurityAutoConfiguration");

    private boolean kafkaEnabled;
    private boolean clusterEnabled;
    private boolean jwtEnabled;

    @Override
    public void setEnvironment(Environment environment) {
        this.kafkaEnabled = environment.getProperty(KAFKA_ENABLED, Boolean.class, false);
        this.clusterEnabled = environment.getProperty(CLUSTER_ENABLED, Boolean.class, false);
        this.jwtEnabled = environment.getProperty(JWT_ENABLED, Boolean.class, false);
    }

    @Override
    public boolean[] match(@Nullable String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean[] matches = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < autoConfigurationClasses.length; i++) {
            String candidate = autoConfigurationClasses[i];
            matches[i] = candidate == null || wanted(candidate);
        }
        return matches;
    }

    private boolean wanted(String candidate) {
        if (NEVER_USED.contains(candidate)) {
            return false;
        }
        if (candidate.startsWith(KAFKA)) {
            return kafkaEnabled;
        }
        if (candidate.startsWith(REDIS) || candidate.equals(NETTY)) {
            return clusterEnabled;
        }
        return !candidate.startsWith(RESOURCE_SERVER) || jwtEnabled;
    }
}
