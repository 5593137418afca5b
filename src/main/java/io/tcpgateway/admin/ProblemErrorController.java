package io.tcpgateway.admin;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import tools.jackson.databind.json.JsonMapper;
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

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Tomcat's own refusals (before any servlet) as problems too. */
    @Bean
    static TomcatContextCustomizer problemErrorReportValve() {
        return ProblemErrorReportValve.installer();
    }

    /**
     * Spring Security's firewall refuses paths such as {@code ..;/} or {@code %2e%2e} with a bare 400; its
     * reason ("the URL contained a potentially malicious String ';'") becomes the problem's detail.
     */
    @Bean
    static RequestRejectedHandler problemForRejectedRequests() {
        return (request, response, rejected) -> {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            response.setContentType(Problem.MEDIA_TYPE.toString());
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(JSON.writeValueAsString(Problem.of(HttpStatus.BAD_REQUEST,
                    "the request's path is refused: " + rejected.getMessage(), null)));
        };
    }

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
            default -> {
                // Some refusals come without a message (Spring Security's firewall answers 400 bare): never an empty detail.
                String message = Objects.toString(request.getAttribute(RequestDispatcher.ERROR_MESSAGE), "");
                yield message.isBlank() ? status.getReasonPhrase() : message;
            }
        };
    }
}
