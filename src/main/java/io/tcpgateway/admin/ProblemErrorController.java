package io.tcpgateway.admin;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The answer to every error the servlet container or Spring Security ends with {@code sendError}
 * (wrong credentials, a body over the limit, ...): the same RFC 9457 problem as everything else,
 * instead of Spring Boot's {@code {"timestamp","status","error","path"}}. Replaces Boot's
 * BasicErrorController.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<Problem> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = (code instanceof Integer value && HttpStatus.resolve(value) != null)
                ? Objects.requireNonNull(HttpStatus.resolve(value)) : HttpStatus.INTERNAL_SERVER_ERROR;
        String path = Objects.toString(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI), request.getRequestURI());
        return ResponseEntity.status(status).contentType(Problem.MEDIA_TYPE).body(Problem.of(status, detail(status, request), path));
    }

    private static String detail(HttpStatus status, HttpServletRequest request) {
        return switch (status) {
            case UNAUTHORIZED -> "the admin credentials are missing or wrong: HTTP Basic as gateway.admin.username,"
                    + " with the password from GATEWAY_ADMIN_PASSWORD (or the one logged at start)";
            case FORBIDDEN -> "these credentials may not make this call";
            case NOT_FOUND -> "no such path on the management API";
            default -> Objects.toString(request.getAttribute(RequestDispatcher.ERROR_MESSAGE), status.getReasonPhrase());
        };
    }
}
