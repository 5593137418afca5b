package io.tcpgateway.config;

import org.springframework.aot.AotDetector;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Stops a start with Spring's AOT-generated bean definitions ({@code -Dspring.aot.enabled=true}, a jar built with
 * {@code -Paot}) when the cluster, Kafka or JWT checking is switched on. Spring decides every condition at build
 * time for such a start, and the build ran with all of them off: their beans (and the auto-configurations
 * {@link SwitchedOffAutoConfigurations} lets in only with them) are simply not in it, so the gateway would start
 * without them and say nothing, or say the wrong thing. Better not to start, naming the property.
 */
class AotStartCheck implements EnvironmentPostProcessor, Ordered {

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the configuration files are loaded
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!AotDetector.useGeneratedArtifacts()) {
            return;
        }
        for (String property : SwitchedOffAutoConfigurations.SWITCHES) {
            if (environment.getProperty(property, Boolean.class, false)) {
                throw new InvalidGatewayConfigurationException(property, true, "this start uses Spring's AOT-generated "
                        + "configuration (spring.aot.enabled), which was prepared with it off; start without "
                        + "-Dspring.aot.enabled=true");
            }
        }
    }
}
