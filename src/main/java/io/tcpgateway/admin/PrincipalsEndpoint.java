package io.tcpgateway.admin;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/principals/{principal}} (CONTRACT section 14): a client by who it proved to be, on every
 * pod. A principal holding {@code /} is written as it is ({@code /actuator/principals/fleet/dev-7}); other
 * characters URL-encoded.
 */
@Component
@Endpoint(id = "principals")
public class PrincipalsEndpoint {

    private final PrincipalCalls calls;

    public PrincipalsEndpoint(PrincipalCalls calls) {
        this.calls = calls;
    }

    /** {@code {"principal","connections":[...],"queued":N}}; 404 when it has no connection and nothing queued. */
    @ReadOperation
    public WebEndpointResponse<Object> principal(@Selector(match = Selector.Match.ALL_REMAINING) String[] principal) {
        return AdminResponses.of(calls.get(String.join("/", principal)));
    }

    /**
     * {@code {"message","listener"?,"ttl"?}}: one frame to each of its connections ({@code {"delivered":N,"queued":0}});
     * with no connection and a {@code ttl}, queued (202, {@code "queued":1}).
     */
    @WriteOperation
    public WebEndpointResponse<Object> send(@Selector(match = Selector.Match.ALL_REMAINING) String[] principal,
            @Nullable String message, @Nullable String listener, @Nullable String ttl) {
        return AdminResponses.of(calls.send(String.join("/", principal), message, listener, ttl));
    }

    /** Closes every connection of it (reason {@code kicked}) and drops its queue; 204, or 404 when there was nothing. */
    @DeleteOperation
    public WebEndpointResponse<Object> kick(@Selector(match = Selector.Match.ALL_REMAINING) String[] principal) {
        return AdminResponses.of(calls.kick(String.join("/", principal)));
    }
}
