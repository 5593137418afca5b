package io.tcpgateway.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * A typo stops start-up, from every source (CONTRACT section 8): before anything is built, every
 * {@code gateway.*} name in the configuration (files, the command line, system properties, test
 * properties) and every {@code GATEWAY_*} environment variable is checked against the
 * {@linkplain KnownProperties known properties}. The first unknown one stops start-up with the gateway's
 * own report (property, value, the nearest known name), and nothing else: no bean is created, so no
 * bean-creation error comes before it. Spring Boot's binder, which refuses unknown names too, never sees
 * environment variables that way ({@code GATEWAY_HEARTBEAT_INTERVALL} started silently).
 *
 * <p>Names that Kubernetes service links and Docker links inject for a Service or container called
 * {@code gateway} ({@code GATEWAY_SERVICE_HOST}, {@code GATEWAY_PORT=tcp://…}, {@code GATEWAY_PORT_9000_TCP_ADDR})
 * are not configuration and are let through; the chart turns service links off anyway.
 */
class UnknownPropertyCheck implements EnvironmentPostProcessor, Ordered {

    private static final Pattern LINK_NAME = Pattern.compile(
            "GATEWAY_(SERVICE_HOST|SERVICE_PORT(_\\w+)?|PORT_\\d+_(TCP|UDP|SCTP)(_\\w+)?|NAME|ENV_\\w+)");
    private static final Pattern LINK_URL = Pattern.compile("(tcp|udp|sctp)://\\S+");

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the configuration files are loaded
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        KnownProperties known = KnownProperties.ofGateway();
        Map<String, @Nullable Object> unknown = new LinkedHashMap<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                boolean variables = source.getName().equals(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
                for (String name : enumerable.getPropertyNames()) {
                    Object value = enumerable.getProperty(name);
                    if (isGateway(name, variables) && !known.isKnown(name) && !(variables && isLink(name, value))
                            && !(isEmpty(value) && known.isSection(name))) {
                        unknown.putIfAbsent(name, value);
                    }
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw report(known, unknown);
        }
    }

    private static boolean isGateway(String name, boolean variable) {
        return variable ? name.toUpperCase(Locale.ROOT).startsWith("GATEWAY_")
                : name.regionMatches(true, 0, "gateway.", 0, 8) || name.regionMatches(true, 0, "gateway[", 0, 8);
    }

    private static boolean isEmpty(@Nullable Object value) {
        return value == null || String.valueOf(value).isBlank();
    }

    private static boolean isLink(String name, @Nullable Object value) {
        return LINK_NAME.matcher(name).matches() || (name.equals("GATEWAY_PORT") && LINK_URL.matcher(String.valueOf(value)).matches());
    }

    private static InvalidGatewayConfigurationException report(KnownProperties known, Map<String, @Nullable Object> unknown) {
        Map.Entry<String, @Nullable Object> first = unknown.entrySet().iterator().next();
        String name = first.getKey();
        boolean variable = !name.contains(".") && name.toUpperCase(Locale.ROOT).equals(name);
        String nearest = known.nearest(name);
        StringBuilder reason = new StringBuilder("there is no such ")
                .append(variable ? "property (environment variable)" : "property");
        if (nearest != null) {
            reason.append("; did you mean ").append(variable ? environmentName(nearest) + " (" + nearest + ")" : nearest).append('?');
        }
        if (unknown.size() > 1) {
            List<String> others = new ArrayList<>(unknown.keySet()).subList(1, unknown.size());
            reason.append(" Also unknown: ").append(String.join(", ", others)).append('.');
        }
        return new InvalidGatewayConfigurationException(name, shown(name, variable, first.getValue()), reason.toString());
    }

    /** The value, unless it may be a secret (a mistyped password is still a password) or comes from the environment. */
    private static String shown(String name, boolean variable, @Nullable Object value) {
        String lower = name.toLowerCase(Locale.ROOT);
        boolean secret = lower.contains("password") || lower.contains("token") || lower.contains("secret");
        return (variable || secret) ? "(not shown)" : String.valueOf(value);
    }

    /** {@code gateway.listeners[0].max-connections} as Spring Boot reads it from the environment. */
    static String environmentName(String property) {
        return property.replace("[", "_").replace("]", "").replace(".", "_").replace("-", "").toUpperCase(Locale.ROOT);
    }
}
