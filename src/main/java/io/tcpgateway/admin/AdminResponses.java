package io.tcpgateway.admin;

import io.tcpgateway.admin.AdminResult.BadRequest;
import io.tcpgateway.admin.AdminResult.Delivered;
import io.tcpgateway.admin.AdminResult.Done;
import io.tcpgateway.admin.AdminResult.Found;
import io.tcpgateway.admin.AdminResult.NotFound;
import io.tcpgateway.admin.AdminResult.Page;
import io.tcpgateway.admin.AdminResult.Refused;
import io.tcpgateway.admin.AdminResult.TimedOut;
import io.tcpgateway.admin.AdminResult.Unavailable;
import java.util.Map;
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
            case Refused refused -> refusal(refused);
        };
    }

    /** {@code {"status":400,"error":"Bad Request","message":"..."}}. */
    private static WebEndpointResponse<Object> refusal(Refused refused) {
        int status = switch (refused) {
            case BadRequest bad -> 400;
            case NotFound notFound -> 404;
            case Unavailable unavailable -> 503;
            case TimedOut timedOut -> 504;
        };
        String error = HttpStatus.valueOf(status).getReasonPhrase();
        return new WebEndpointResponse<>(Map.of("status", status, "error", error, "message", refused.detail()), status);
    }
}
