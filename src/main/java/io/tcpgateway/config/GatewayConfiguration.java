package io.tcpgateway.config;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.validation.Validator;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
public class GatewayConfiguration {

    @Bean
    @ConfigurationPropertiesBinding
    static ConfigNameConverter<Mode> modeConverter() {
        return new ConfigNameConverter<>(Mode.class, "mode");
    }

    @Bean
    @ConfigurationPropertiesBinding
    static ConfigNameConverter<Framing> framingConverter() {
        return new ConfigNameConverter<>(Framing.class, "framing");
    }

    @Bean
    @ConfigurationPropertiesBinding
    static ConfigNameConverter<ProxyProtocol> proxyProtocolConverter() {
        return new ConfigNameConverter<>(ProxyProtocol.class, "proxy-protocol setting");
    }

    @Bean
    @ConfigurationPropertiesBinding
    static ConfigNameConverter<Auth> authConverter() {
        return new ConfigNameConverter<>(Auth.class, "auth setting");
    }

    @Bean
    @ConfigurationPropertiesBinding
    static ConfigNameConverter<DuplicatePrincipal> duplicatePrincipalConverter() {
        return new ConfigNameConverter<>(DuplicatePrincipal.class, "duplicate-principal setting");
    }

    /** Boot applies the bean of this name to every {@code @ConfigurationProperties} class. */
    @Bean(name = EnableConfigurationProperties.VALIDATOR_BEAN_NAME)
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Validator configurationPropertiesValidator() {
        return new GatewayPropertiesValidator();
    }
}
