package io.tcpgateway.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answer Tomcat itself gives to a request it refuses before any servlet sees it (an encoded
 * {@code /} or {@code \}, a NUL byte, a path that does not normalise): the same RFC 9457 problem as
 * every other answer of the management API (CONTRACT section 6), instead of Tomcat's HTML error page.
 * Answers the gateway makes go through {@link ProblemErrorController}; this covers what never gets there.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Installs the valve on the host of the management server (before it starts, when Tomcat adds it). */
    static TomcatContextCustomizer installer() {
        return (context) -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        };
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean();
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatus resolved = HttpStatus.resolve(status);
        HttpStatus known = (resolved != null) ? resolved : HttpStatus.INTERNAL_SERVER_ERROR;
        try {
            byte[] body = JSON.writeValueAsBytes(Problem.of(known, detail(known), null));
            response.setContentType(Problem.MEDIA_TYPE.toString());
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            response.finishResponse();
        }
        catch (IOException | RuntimeException gone) {
            // the client left; nothing more to tell it
        }
    }

    private static String detail(HttpStatus status) {
        return (status == HttpStatus.BAD_REQUEST)
                ? "the request's path or headers cannot be read: encoded '/' (%2F) or '\\' (%5C), NUL bytes and paths "
                        + "that leave the root are refused before anything else; connection ids and bans use only "
                        + "letters, digits, '-', '_', '.' and ':'"
                : "the server refused the request before it reached the management API: " + status.getReasonPhrase();
    }
}
