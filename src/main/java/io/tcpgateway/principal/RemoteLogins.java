package io.tcpgateway.principal;

import io.tcpgateway.config.DuplicatePrincipal;

/**
 * {@code duplicate-principal} across pods (present with {@code gateway.cluster.enabled}): the cluster keeps who
 * holds each principal on each {@code replace} or {@code refuse} listener, so a login is decided against the
 * other pods' connections in one step, whichever pods two logins of one principal reach at the same moment.
 */
public interface RemoteLogins {

    /**
     * The other pods' part of a login of {@code principal} on {@code listener} by {@code connectionId} (already
     * claimed on this pod): with {@code replace} their connections of it are closed ({@code ERROR replaced}); with
     * {@code refuse} false when one holds it. Unless refused, the login is recorded as a holder.
     */
    boolean claim(String listener, String principal, String connectionId, DuplicatePrincipal policy);

    /** A connection that claimed a principal on a {@code replace} or {@code refuse} listener closed: no longer a holder. */
    void release(String listener, String principal, String connectionId);

    /** A single pod: nothing elsewhere. */
    RemoteLogins NONE = new RemoteLogins() {

        @Override
        public boolean claim(String listener, String principal, String connectionId, DuplicatePrincipal policy) {
            return true;
        }

        @Override
        public void release(String listener, String principal, String connectionId) {
        }
    };
}
