package io.tcpgateway.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * An RFC 9457 problem, the body of every 4xx and 5xx answer of the management API (CONTRACT section 6):
 * {@code {"type":"about:blank","title":"Bad Request","status":400,"detail":"...","instance":"/actuator/..."}}.
 *
 * @param type always {@code about:blank}: the status says what kind of problem it is
 * @param title the status's reason phrase
 * @param status the HTTP status
 * @param detail what was wrong, for a person to read
 * @param instance the path that was asked for, when known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, @Nullable String instance) {

    public static final MediaType MEDIA_TYPE = MediaType.APPLICATION_PROBLEM_JSON;

    static Problem of(HttpStatus status, String detail, @Nullable String path) {
        return new Problem("about:blank", status.getReasonPhrase(), status.value(), detail, path);
    }
}
