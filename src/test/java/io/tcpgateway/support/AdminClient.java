package io.tcpgateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP calls to the management server, with or without Basic credentials. */
public final class AdminClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String authorization;

    private AdminClient(int port, String username, String password) {
        this.base = "http://127.0.0.1:" + port;
        this.authorization = (username == null) ? null
                : "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static AdminClient as(int port, String username, String password) {
        return new AdminClient(port, username, password);
    }

    public static AdminClient anonymous(int port) {
        return new AdminClient(port, null, null);
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    public Response delete(String path) {
        return send(request(path).DELETE());
    }

    public Response post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json").expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * Any call, as a client could make it: any method, content type and body (a stream of any size).
     * Bodies are sent after {@code Expect: 100-continue}, as curl does for large ones, so a refusal
     * arrives before the body is sent.
     */
    public Response call(String method, String path, String contentType, HttpRequest.BodyPublisher body) {
        return send(request(path).header("Content-Type", contentType).expectContinue(true).method(method, body));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        return (authorization == null) ? builder : builder.header("Authorization", authorization);
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("WWW-Authenticate").orElse(""),
                    response.headers().firstValue("Retry-After").orElse(""), response.headers());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * @param status the HTTP status
     * @param body the body as text
     * @param contentType the Content-Type header; empty when none
     * @param authenticate the WWW-Authenticate header; empty when none
     * @param retryAfter the Retry-After header; empty when none
     * @param headers every header of the answer
     */
    public record Response(int status, String body, String contentType, String authenticate, String retryAfter,
            HttpHeaders headers) {

        /** One header's first value; empty when none. */
        public String header(String name) {
            return headers.firstValue(name).orElse("");
        }

        public JsonNode json() {
            return JSON.readTree(body);
        }
    }
}
