package io.tcpgateway.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Reports an {@link InvalidGatewayConfigurationException} the way Boot reports a binding error; ahead
 * of Boot's analyzers, which would otherwise report the binding failure around it.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class InvalidGatewayConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidGatewayConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidGatewayConfigurationException cause) {
        String description = String.format("Invalid gateway configuration:%n%n    Property: %s%n    Value: \"%s\"%n    Reason: %s",
                cause.property(), cause.value(), cause.reason());
        return new FailureAnalysis(description, "Update your application's configuration (see docs/configuration.md).", cause);
    }
}
