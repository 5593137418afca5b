package io.tcpgateway.config;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Reports a mode or framing that is not one (see {@link ConfigNameConverter}) with the spellings users
 * write. Ahead of Spring Boot's own analyzer, which would list the Java constants ({@code LENGTH_PREFIX}).
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConfigNameFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

    @Override
    protected @Nullable FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
        Class<?> target = cause.getTarget().getType().resolve();
        if (target == null || !ConfigName.class.isAssignableFrom(target) || !target.isEnum()) {
            return null;
        }
        Object value = (cause.getProperty() != null) ? cause.getProperty().getValue() : null;
        String spellings = ConfigName.spellingsOf(target);
        String description = String.format("Invalid gateway configuration:%n%n    Property: %s%n    Value: \"%s\"%n    Reason: not one of: %s",
                cause.getName(), value, spellings);
        return new FailureAnalysis(description, "Use one of: " + spellings + ".", cause);
    }
}
