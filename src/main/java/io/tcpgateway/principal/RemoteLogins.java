package io.tcpgateway.principal;

import io.tcpgateway.config.DuplicatePrincipal;

/**
 * {@code duplicate-principal} across pods (present with {@code gateway.cluster.enabled}): a login is held
 * against the same principal's logins on the same listener elsewhere while it is decided, so the newest wins
 * ({@code replace}) or the first stays ({@code refuse}) whichever pods they reach.
 */
public interface RemoteLogins {

    /**
     * Waits (at most the cluster's request timeout) until no other login of {@code principal} on
     * {@code listener} is being decided on any pod, and holds that until {@link Held#close()}.
     */
    Held hold(String listener, String principal, String connectionId);

    /**
     * The other pods' part of a login: with {@code replace} they close their connections of {@code principal}
     * on {@code listener} ({@code ERROR replaced}); with {@code refuse} they only count them. How many they
     * closed or hold.
     */
    int claimElsewhere(String listener, String principal, DuplicatePrincipal policy);

    /** What is held while a login is decided; closing it lets the next login of that principal go on. */
    interface Held extends AutoCloseable {

        @Override
        void close();
    }

    /** A single pod: nothing elsewhere. */
    RemoteLogins NONE = new RemoteLogins() {

        @Override
        public Held hold(String listener, String principal, String connectionId) {
            return () -> {
            };
        }

        @Override
        public int claimElsewhere(String listener, String principal, DuplicatePrincipal policy) {
            return 0;
        }
    };
}
