package io.tcpgateway.admin;

import io.tcpgateway.config.GatewayProperties;
import io.tcpgateway.config.ListenerProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps the size of a request body: the longest message any listener can carry, written as JSON with
 * every character as a 6-byte unicode escape, plus room for the rest of the object. A body
 * over it holds a message no listener can carry, so it is refused with 400 as CONTRACT section 6 says
 * of such messages, before it is read into memory (declared length) or as soon as it passes the cap
 * (chunked), instead of building a string of any size first. A client that sends
 * {@code Expect: 100-continue} (curl does for large bodies) gets the answer without sending the body;
 * one that does not may find the connection closed once the answer is written (the servlet container
 * discards at most 2 MB of a body nobody reads).
 */
@Component
class RequestBodyLimit extends OncePerRequestFilter {

    private final long maxBytes;

    /**
     * Tomcat answers {@code Expect: 100-continue} at once by default, so the client starts sending the
     * body before the filter could refuse it. Answered only when the application reads the body, a
     * refused body is never sent.
     */
    @Bean
    static TomcatConnectorCustomizer continueOnlyWhenTheBodyIsRead() {
        return (connector) -> connector.setProperty("continueResponseTiming", "onRead");
    }

    RequestBodyLimit(GatewayProperties properties) {
        int longestFrame = properties.listeners().stream().mapToInt(ListenerProperties::maxFrameBytes).max().orElse(0);
        this.maxBytes = 6L * longestFrame + 4096;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, tooLarge("of " + declared + " bytes"));
            return;
        }
        chain.doFilter((declared < 0) ? new Capped(request) : request, response);
    }

    private String tooLarge(String size) {
        return "the request body " + size + " is over the limit of " + maxBytes + " bytes: its message would be"
                + " longer than any listener's max-frame-bytes (the limit is 6 × the largest, as a JSON escape takes"
                + " up to 6 bytes a character)";
    }

    /** Thrown while reading a chunked body that passes the cap; answered with 400 by {@link ProblemAnswers}. */
    static final class BodyTooLargeException extends IOException {

        BodyTooLargeException(String message) {
            super(message);
        }
    }

    /** A request whose body stream fails once it has given more than the cap. */
    private final class Capped extends HttpServletRequestWrapper {

        private @Nullable ServletInputStream capped;

        Capped(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (capped == null) {
                capped = new CappedStream(super.getInputStream());
            }
            return capped;
        }
    }

    private final class CappedStream extends ServletInputStream {

        private final ServletInputStream in;
        private long read;

        CappedStream(ServletInputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int next = in.read();
            if (next >= 0) {
                count(1);
            }
            return next;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws BodyTooLargeException {
            read += n;
            if (read > maxBytes) {
                throw new BodyTooLargeException(tooLarge("of more than " + maxBytes + " bytes"));
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
