package io.tcpgateway.config;

/**
 * A {@code gateway.*} value that passed binding but cannot work (e.g. an {@code ssl-bundle} that does
 * not exist). Start-up stops; {@link InvalidGatewayConfigurationFailureAnalyzer} reports the property.
 */
public class InvalidGatewayConfigurationException extends RuntimeException {

    private final String property;
    private final Object value;
    private final String reason;

    public InvalidGatewayConfigurationException(String property, Object value, String reason) {
        super("Invalid value '" + value + "' for " + property + ": " + reason);
        this.property = property;
        this.value = value;
        this.reason = reason;
    }

    public String property() {
        return property;
    }

    public Object value() {
        return value;
    }

    public String reason() {
        return reason;
    }
}
