package io.tcpgateway.admin;

import java.util.Map;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/** The JSON body of a refused admin call: {@code {"status":400,"error":"Bad Request","message":"..."}}. */
public final class ApiErrors {

    private ApiErrors() {
    }

    static WebEndpointResponse<Object> badRequest(String message) {
        return of(400, "Bad Request", message);
    }

    static WebEndpointResponse<Object> notFound(String message) {
        return of(404, "Not Found", message);
    }

    public static WebEndpointResponse<Object> of(int status, String error, String message) {
        return new WebEndpointResponse<>(Map.of("status", status, "error", error, "message", message), status);
    }
}
