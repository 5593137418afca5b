package io.tcpgateway.admin;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.invoke.ParameterMappingException;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Spring MVC's own refusals (malformed JSON, a parameter of the wrong type, a wrong content type, a
 * method not allowed, no such path) as RFC 9457 problems (CONTRACT section 6), each with a detail that
 * says what was wrong. Spring's {@link ResponseEntityExceptionHandler} does the mapping; this adds the
 * cause where Spring's detail alone ("Failed to read request") would not tell.
 */
@RestControllerAdvice
class ProblemAnswers extends ResponseEntityExceptionHandler {

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = Objects.requireNonNullElse(ex.getMostSpecificCause(), ex);
        if (cause instanceof RequestBodyLimit.BodyTooLargeException tooLarge) {
            return problem(HttpStatus.BAD_REQUEST, Objects.requireNonNull(tooLarge.getMessage()), request);
        }
        String detail = "the request body is not the JSON expected: " + firstLine(cause.getMessage());
        return problem(HttpStatus.BAD_REQUEST, detail, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return problem(HttpStatus.NOT_FOUND, "no such path on the management API: " + ex.getHttpMethod() + " /"
                + ex.getResourcePath(), request);
    }

    /**
     * Refusals that carry their cause (the actuator's "Parameter mapping failure" for {@code limit=abc},
     * say): the cause says what was wrong.
     */
    @Override
    protected @Nullable ResponseEntity<Object> handleErrorResponseException(ErrorResponseException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = ex.getCause();
        if (cause == null) {
            return super.handleErrorResponseException(ex, headers, status, request);
        }
        for (Throwable next = cause; next != null; next = next.getCause()) {
            if (next instanceof ParameterMappingException mapping) {
                return problem(HttpStatus.valueOf(status.value()), "parameter '" + mapping.getParameter().getName()
                        + "' must be a " + mapping.getParameter().getType().getSimpleName() + ", not '"
                        + mapping.getValue() + "'", request);
            }
        }
        String detail = Objects.requireNonNullElse(ex.getBody().getDetail(), "refused") + ": "
                + firstLine(NestedExceptionUtils.getMostSpecificCause(cause).getMessage());
        return problem(HttpStatus.valueOf(status.value()), detail, request);
    }

    /** Anything else an endpoint throws: a 500 that says so, instead of a stack trace or a bare status. */
    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<Object> unexpected(RuntimeException ex, WebRequest request) {
        logger.error("Admin call failed", ex);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "the call failed inside the gateway: " + firstLine(ex.getMessage()),
                request);
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        // Spring's ProblemDetail, rewritten as the one Problem shape every error of this API has.
        String detail = (body instanceof ProblemDetail problem && problem.getDetail() != null)
                ? problem.getDetail() : HttpStatus.valueOf(statusCode.value()).getReasonPhrase();
        return ResponseEntity.status(statusCode).headers(headers).contentType(Problem.MEDIA_TYPE)
                .body(Problem.of(HttpStatus.valueOf(statusCode.value()), detail, path(request)));
    }

    private static ResponseEntity<Object> problem(HttpStatus status, String detail, WebRequest request) {
        return ResponseEntity.status(status).contentType(Problem.MEDIA_TYPE).body(Problem.of(status, detail, path(request)));
    }

    private static @Nullable String path(WebRequest request) {
        return (request instanceof ServletWebRequest servlet) ? servlet.getRequest().getRequestURI() : null;
    }

    private static String firstLine(@Nullable String message) {
        if (message == null) {
            return "(no detail)";
        }
        int end = message.indexOf('\n');
        return (end < 0) ? message : message.substring(0, end);
    }
}
