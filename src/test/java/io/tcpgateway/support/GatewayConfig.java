package io.tcpgateway.support;

import io.tcpgateway.config.Auth;
import io.tcpgateway.config.DuplicatePrincipal;
import io.tcpgateway.config.ConfigNameConverter;
import io.tcpgateway.config.Framing;
import io.tcpgateway.config.GatewayProperties;
import io.tcpgateway.config.GatewayPropertiesValidator;
import io.tcpgateway.config.InvalidGatewayConfigurationException;
import io.tcpgateway.config.Mode;
import io.tcpgateway.config.ProxyProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.IgnoreTopLevelConverterNotFoundBindHandler;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.UnboundElementsSourceFilter;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.validation.FieldError;

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

    /** The given YAML document with {@code alongside} (what a pod reads from mounted Secrets, say). */
    public static GatewayProperties bindYaml(Resource yaml, Map<String, String> alongside) {
        List<PropertySource<?>> sources = new ArrayList<>();
        sources.add(new MapPropertySource("alongside", new LinkedHashMap<>(alongside)));
        sources.addAll(yaml(yaml));
        return bind(sources);
    }

    /**
     * As Spring Boot's ConfigurationPropertiesBinder binds {@code @ConfigurationProperties(ignoreUnknownFields
     * = false)} with its validator: unknown keys refused, the gateway's validator applied, the
     * gateway's own converters for modes and framings.
     */
    private static GatewayProperties bind(List<PropertySource<?>> sources) {
        ApplicationConversionService conversion = new ApplicationConversionService();
        conversion.addConverter(new ConfigNameConverter<>(Mode.class, "mode"));
        conversion.addConverter(new ConfigNameConverter<>(Framing.class, "framing"));
        conversion.addConverter(new ConfigNameConverter<>(ProxyProtocol.class, "proxy-protocol setting"));
        conversion.addConverter(new ConfigNameConverter<>(Auth.class, "auth setting"));
        conversion.addConverter(new ConfigNameConverter<>(DuplicatePrincipal.class, "duplicate-principal setting"));
        Binder binder = new Binder(ConfigurationPropertySources.from(sources),
                new PropertySourcesPlaceholdersResolver(sources), conversion);
        BindHandler unknownKeysRefused = new NoUnboundElementsBindHandler(new IgnoreTopLevelConverterNotFoundBindHandler(),
                new UnboundElementsSourceFilter());
        return binder.bindOrCreate("gateway", Bindable.of(GatewayProperties.class),
                new ValidationBindHandler(unknownKeysRefused, new GatewayPropertiesValidator()));
    }

    /**
     * What start-up's failure report says about a binding failure, one "property = value: reason" line
     * per problem, as Spring Boot's failure analyzers print them.
     */
    public static String describe(BindException failure) {
        if (failure.getCause() instanceof UnboundConfigurationPropertiesException unbound) {
            return unbound.getUnboundProperties().stream().map((property) -> property.getName() + " = "
                    + property.getValue() + ": unknown property").collect(Collectors.joining("\n"));
        }
        if (Objects.requireNonNullElse(failure.getCause(), failure).getCause() instanceof InvalidGatewayConfigurationException invalid) {
            return invalid.property() + " = " + invalid.value() + ": " + invalid.reason();
        }
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
        return failure.getName() + " = " + value + ": " + NestedExceptionUtils.getMostSpecificCause(failure).getMessage();
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
