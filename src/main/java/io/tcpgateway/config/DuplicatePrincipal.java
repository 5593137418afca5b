package io.tcpgateway.config;

import java.util.Locale;

/**
 * What a second connection of a principal already connected to the same listener does (CONTRACT sections 2
 * and 14); in a cluster it holds across pods.
 */
public enum DuplicatePrincipal implements ConfigName {
    /** Both stay; a message to the principal reaches each. */
    ALLOW,
    /** The newest wins: the older connection is told {@code ERROR replaced} and closed (reason {@code replaced}). */
    REPLACE,
    /** The first stays: the new one is told {@code ERROR already connected} and closed (reason {@code duplicate}). */
    REFUSE;

    @Override
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
