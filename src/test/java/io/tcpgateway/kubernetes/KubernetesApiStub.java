package io.tcpgateway.kubernetes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Just enough of a Kubernetes API for helm's {@code lookup} while rendering the chart: discovery, and
 * Secrets by name (404 unless a test put one there, as an installed release would have). helm-java's
 * {@code template} asks a real API for lookups (the CLI's would not); the kubeconfig named by the
 * {@code KUBECONFIG} variable surefire sets points at this stub, started once per test JVM.
 */
final class KubernetesApiStub {

    private static final KubernetesApiStub INSTANCE = start();

    private final Map<String, String> secrets = new ConcurrentHashMap<>();

    private KubernetesApiStub() {
    }

    /** The stub, started and named in the kubeconfig on first use. */
    static KubernetesApiStub instance() {
        return INSTANCE;
    }

    /** A Secret as an installed release has it: {@code key} holding {@code value}. */
    void putSecret(String namespace, String name, String key, String value) {
        secrets.put(namespace + "/" + name, """
                {"apiVersion":"v1","kind":"Secret","metadata":{"name":"%s","namespace":"%s"},"type":"Opaque","data":{"%s":"%s"}}"""
                .formatted(name, namespace, key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
    }

    void removeSecret(String namespace, String name) {
        secrets.remove(namespace + "/" + name);
    }

    private static KubernetesApiStub start() {
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig == null) {
            throw new IllegalStateException("KUBECONFIG is not set: run the chart tests through Maven (surefire sets it)");
        }
        try {
            KubernetesApiStub stub = new KubernetesApiStub();
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", stub::answer);
            server.start();
            Files.writeString(Path.of(kubeconfig), """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: stub, cluster: {server: "http://127.0.0.1:%d"}}]
                    users: [{name: stub, user: {}}]
                    contexts: [{name: stub, context: {cluster: stub, user: stub}}]
                    current-context: stub
                    """.formatted(server.getAddress().getPort()));
            return stub;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/version")) {
            respond(exchange, 200, "{\"major\":\"1\",\"minor\":\"33\",\"gitVersion\":\"v1.33.0\"}");
        }
        else if (path.equals("/api")) {
            respond(exchange, 200, "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}");
        }
        else if (path.equals("/apis")) {
            respond(exchange, 200, "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}");
        }
        else if (path.equals("/api/v1")) {
            respond(exchange, 200, """
                    {"kind":"APIResourceList","groupVersion":"v1","resources":[{"name":"secrets","singularName":"secret",\
                    "namespaced":true,"kind":"Secret","verbs":["get","list"]}]}""");
        }
        else if (path.startsWith("/api/v1/namespaces/") && path.contains("/secrets/")) {
            String[] parts = path.split("/"); // "", api, v1, namespaces, ns, secrets, name
            String secret = secrets.get(parts[4] + "/" + parts[6]);
            if (secret != null) {
                respond(exchange, 200, secret);
            }
            else {
                respond(exchange, 404, """
                        {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,\
                        "details":{"name":"%s","kind":"secrets"}}""".formatted(parts[6]));
            }
        }
        else {
            respond(exchange, 404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
