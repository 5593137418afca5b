package io.tcpgateway.support;

import io.tcpgateway.config.GatewayProperties;
import io.tcpgateway.config.GatewayPropertiesValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.validation.FieldError;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

/**
 * Binds {@code gateway.*} in-process exactly as the gateway does at start-up (the same binder rules,
 * the bean constraints and {@link GatewayPropertiesValidator}), without starting an application.
 */
public final class GatewayConfig {

    private static final Path APPLICATION_YML = Path.of("application.yml");

    private GatewayConfig() {
    }

    /** The project's application.yml overridden by {@code overrides}, as command-line arguments would. */
    public static GatewayProperties bindWithDefaults(Map<String, String> overrides) {
        List<PropertySource<?>> sources = new ArrayList<>();
        sources.add(new MapPropertySource("overrides", new LinkedHashMap<>(overrides)));
        sources.addAll(yaml(new FileSystemResource(APPLICATION_YML)));
        return bind(sources);
    }

    /** The given YAML document alone (a rendered chart's application.yml, say). */
    public static GatewayProperties bindYaml(Resource yaml) {
        return bind(yaml(yaml));
    }

    private static GatewayProperties bind(List<PropertySource<?>> sources) {
        try (LocalValidatorFactoryBean beanConstraints = new LocalValidatorFactoryBean()) {
            beanConstraints.afterPropertiesSet();
            Binder binder = new Binder(ConfigurationPropertySources.from(sources),
                    new PropertySourcesPlaceholdersResolver(sources));
            return binder.bindOrCreate("gateway", Bindable.of(GatewayProperties.class),
                    new ValidationBindHandler(beanConstraints, new GatewayPropertiesValidator()));
        }
    }

    /**
     * What start-up's failure report says about a binding failure, one "property = value: reason" line
     * per problem, as Spring Boot's failure analyzers print them.
     */
    public static String describe(BindException failure) {
        if (failure.getCause() instanceof BindValidationException validation) {
            StringBuilder report = new StringBuilder();
            validation.getValidationErrors().getAllErrors().forEach((error) -> {
                if (error instanceof FieldError field) {
                    report.append(field.getObjectName()).append('.').append(field.getField()).append(" = ")
                            .append(field.getRejectedValue()).append(": ");
                }
                report.append(error.getDefaultMessage()).append('\n');
            });
            return report.toString();
        }
        Object value = (failure.getProperty() != null) ? failure.getProperty().getValue() : null;
        return failure.getName() + " = " + value + ": " + Objects.requireNonNullElse(failure.getCause(), failure).getMessage();
    }

    private static List<PropertySource<?>> yaml(Resource resource) {
        try {
            return new YamlPropertySourceLoader().load(resource.getDescription(), resource);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
