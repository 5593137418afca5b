package io.tcpgateway.config;

import java.util.Locale;

/** What a listener does with each frame it reads. */
public enum Mode implements ConfigName {
    /** Each frame goes back to its sender only. */
    ECHO,
    /** Each frame goes to every other open connection of the same listener. */
    BROADCAST,
    /** Each frame goes to Kafka (CONTRACT section 15), to no client. */
    FORWARD;

    /** As written in the configuration and shown by the admin API ({@code echo}, {@code broadcast}, {@code forward}). */
    @Override
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
