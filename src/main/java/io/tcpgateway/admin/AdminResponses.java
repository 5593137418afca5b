package io.tcpgateway.admin;

import io.tcpgateway.admin.AdminResult.BadRequest;
import io.tcpgateway.admin.AdminResult.Conflict;
import io.tcpgateway.admin.AdminResult.Counted;
import io.tcpgateway.admin.AdminResult.PrincipalFound;
import io.tcpgateway.admin.AdminResult.Sent;
import io.tcpgateway.admin.AdminResult.Delivered;
import io.tcpgateway.admin.AdminResult.Done;
import io.tcpgateway.admin.AdminResult.Found;
import io.tcpgateway.admin.AdminResult.NotFound;
import io.tcpgateway.admin.AdminResult.Page;
import io.tcpgateway.admin.AdminResult.Refused;
import io.tcpgateway.admin.AdminResult.TimedOut;
import io.tcpgateway.admin.AdminResult.Unavailable;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.http.HttpStatus;

/**
 * The endpoints' one translation of {@link AdminResult} into HTTP (CONTRACT section 6): the status
 * and the JSON body. Nothing outside the endpoints knows about status codes.
 */
final class AdminResponses {

    private AdminResponses() {
    }

    static WebEndpointResponse<Object> of(AdminResult result) {
        return switch (result) {
            case Found found -> new WebEndpointResponse<>(found.connection());
            case Page page -> new WebEndpointResponse<>(page);
            case Delivered delivered -> new WebEndpointResponse<>(delivered);
            case Done done -> new WebEndpointResponse<>(WebEndpointResponse.STATUS_NO_CONTENT);
            case Counted counted -> new WebEndpointResponse<>(counted);
            case PrincipalFound found -> new WebEndpointResponse<>(found);
            case Sent sent -> new WebEndpointResponse<>(sent, (sent.queued() > 0) ? HttpStatus.ACCEPTED.value()
                    : HttpStatus.OK.value());
            case Refused refused -> refusal(refused);
        };
    }

    /** 201 with what was made. */
    static WebEndpointResponse<Object> created(Object made) {
        return new WebEndpointResponse<>(made, HttpStatus.CREATED.value());
    }

    /** An RFC 9457 problem ({@link Problem}); the endpoints do not know their request path, so no {@code instance}. */
    private static WebEndpointResponse<Object> refusal(Refused refused) {
        HttpStatus status = switch (refused) {
            case BadRequest bad -> HttpStatus.BAD_REQUEST;
            case NotFound notFound -> HttpStatus.NOT_FOUND;
            case Conflict conflict -> HttpStatus.CONFLICT;
            case Unavailable unavailable -> HttpStatus.SERVICE_UNAVAILABLE;
            case TimedOut timedOut -> HttpStatus.GATEWAY_TIMEOUT;
        };
        return new WebEndpointResponse<>(Problem.of(status, refused.detail(), null), status.value(), Problem.MEDIA_TYPE);
    }
}
