package io.tcpgateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micrometer.core.instrument.MeterRegistry;
import io.tcpgateway.connection.CloseReason;
import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.listener.ListenerRegistrar;
import io.tcpgateway.support.AdminClient;
import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.TcpTestClient;
import io.tcpgateway.support.TestCertificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * CONTRACT section 11 with real sockets: static tokens and JWTs (keys made at test time) on a
 * {@code auth: token} listener, client certificates (made at test time) on a {@code client-cert}
 * listener, the principal in the admin API and the logs, failures counted, logged without the token
 * and fed to flapping detection.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.admin.password=test-secret",
        "gateway.auth.timeout=1s", "gateway.auth.jwt.enabled=true",
        "gateway.flapping.enabled=true", "gateway.flapping.max-auth-failures=2",
        "gateway.listeners[0].name=tokens", "gateway.listeners[0].port=0", "gateway.listeners[0].auth=token",
        "gateway.listeners[1].name=certs", "gateway.listeners[1].port=0", "gateway.listeners[1].mode=echo",
        "gateway.listeners[1].auth=client-cert", "gateway.listeners[1].ssl-bundle=clients" })
@ExtendWith(OutputCaptureExtension.class)
class AuthIT {

    static final String DEVICE_TOKEN = "s3cret-token-for-device-a";
    static KeyPair jwtKeys;
    static Path serverKeystore;
    static Path trustedClient;
    static Path untrustedClient;

    @Autowired
    ListenerRegistrar registrar;

    @Autowired
    PeerRegistry registry;

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int managementPort;

    final List<TcpTestClient> clients = new ArrayList<>();

    @DynamicPropertySource
    static void keys(DynamicPropertyRegistry properties) throws Exception {
        properties.add("gateway.auth.tokens.device-a", () -> TestCertificates.sha256Hex(DEVICE_TOKEN));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        jwtKeys = generator.generateKeyPair();
        Path publicKey = Files.createTempFile("jwt", ".pem");
        Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(jwtKeys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        properties.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> "file:" + publicKey);

        serverKeystore = TestCertificates.selfSignedKeystore();
        trustedClient = TestCertificates.selfSignedKeystore("device-7");
        untrustedClient = TestCertificates.selfSignedKeystore("intruder");
        Path truststore = TestCertificates.truststoreOf(trustedClient);
        TestCertificates.registerKeystore(properties, "clients", serverKeystore);
        TestCertificates.registerTruststore(properties, "clients", truststore);
    }

    @AfterEach
    void closeClients() {
        clients.forEach(TcpTestClient::close);
    }

    @Test
    void aStaticTokenIsAnsweredOkAndNamesThePrincipalEverywhere(CapturedOutput output) {
        TcpTestClient client = connect("127.0.40.1");
        client.sendLine("AUTH " + DEVICE_TOKEN);
        assertThat(client.readLine()).isEqualTo("OK");
        String id = awaitPrincipal("device-a");
        JsonNode shown = admin().get("/actuator/connections/" + id).json();
        assertThat(shown.at("/principal").asString()).isEqualTo("device-a");
        JsonNode filtered = admin().get("/actuator/connections?principal=device-a").json();
        assertThat(filtered.at("/connections").findValuesAsString("id")).contains(id);
        assertThat(admin().get("/actuator/connections?principal=nobody").json().at("/total").asInt()).isZero();
        assertThat(admin().get("/actuator/connections?remoteAddress=127.0.40.1").json().at("/connections")
                .findValuesAsString("id")).containsExactly(id);
        assertThat(output.getOut()).contains("Connection authenticated: listener=tokens id=" + id)
                .contains("principal=device-a").doesNotContain(DEVICE_TOKEN);
        client.close();
        await().until(() -> output.getOut().contains("Connection closed: listener=tokens id=" + id));
        assertThat(output.getOut()).containsPattern("Connection closed: listener=tokens id=" + id + " remote=\\S+ principal=device-a reason=peer");
    }

    @Test
    void beforeOkNoBroadcastIsDeliveredAndPingIsAnswered() {
        TcpTestClient sender = authenticated("127.0.41.1");
        TcpTestClient waiting = connect("127.0.41.2");
        waiting.sendLine("PING");
        assertThat(waiting.readLine()).isEqualTo("PONG");
        TcpTestClient witness = authenticated("127.0.41.3");
        sender.sendLine("not for you");
        sender.sendLine("marker");
        // the witness was authenticated before both frames, so it sees both: the broadcasts went out
        assertThat(witness.readLine()).isEqualTo("not for you");
        assertThat(witness.readLine()).isEqualTo("marker");
        waiting.sendLine("AUTH " + DEVICE_TOKEN);
        assertThat(waiting.readLine()).as("nothing was delivered before OK").isEqualTo("OK");
        sender.sendLine("now for you");
        assertThat(waiting.readLine()).isEqualTo("now for you");
    }

    @Test
    void aWrongTokenOrAnotherFirstFrameFailsAndIsCountedAndLoggedWithoutTheToken(CapturedOutput output) {
        double before = failures(CloseReason.AUTH_FAILED);
        TcpTestClient wrong = connect("127.0.42.1");
        wrong.sendLine("AUTH not-the-token-42");
        assertThat(wrong.readLine()).isEqualTo("ERROR auth failed");
        wrong.awaitClosedByServer();
        TcpTestClient chatty = connect("127.0.42.2");
        chatty.sendLine("hello");
        assertThat(chatty.readLine()).isEqualTo("ERROR auth failed");
        chatty.awaitClosedByServer();
        await().until(() -> failures(CloseReason.AUTH_FAILED) == before + 2);
        await().until(() -> registry.closed().stream().filter((peer) -> peer.reason() == CloseReason.AUTH_FAILED
                && peer.remoteAddress().startsWith("127.0.42.")).count() == 2);
        assertThat(output.getOut()).contains("Authentication failed: listener=tokens").doesNotContain("not-the-token-42");
    }

    @Test
    void silenceEndsWithAuthTimeout() {
        double before = failures(CloseReason.AUTH_TIMEOUT);
        TcpTestClient silent = connect("127.0.43.1");
        long started = System.nanoTime();
        assertThat(silent.readLine()).isEqualTo("ERROR auth timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(700), Duration.ofSeconds(5));
        silent.awaitClosedByServer();
        await().until(() -> failures(CloseReason.AUTH_TIMEOUT) == before + 1);
    }

    @Test
    void aJwtSignedWithTheConfiguredKeyNamesItsSubjectAndAnExpiredOrForeignOneFails() throws Exception {
        TcpTestClient valid = connect("127.0.44.1");
        valid.sendLine("AUTH " + jwt("sensor-9", Instant.now().plusSeconds(60), (RSAPrivateKey) jwtKeys.getPrivate()));
        assertThat(valid.readLine()).isEqualTo("OK");
        awaitPrincipal("sensor-9");

        TcpTestClient expired = connect("127.0.44.2");
        expired.sendLine("AUTH " + jwt("sensor-9", Instant.now().minusSeconds(600), (RSAPrivateKey) jwtKeys.getPrivate()));
        assertThat(expired.readLine()).isEqualTo("ERROR auth failed");

        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        TcpTestClient forged = connect("127.0.44.3");
        forged.sendLine("AUTH " + jwt("sensor-9", Instant.now().plusSeconds(60), (RSAPrivateKey) generator.generateKeyPair().getPrivate()));
        assertThat(forged.readLine()).isEqualTo("ERROR auth failed");
    }

    /** CONTRACT section 11: a JWT without exp would never expire; it is refused like an expired one. */
    @Test
    void aJwtWithoutExpIsRefused(CapturedOutput output) throws Exception {
        SignedJWT forever = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder().subject("forever")
                .issueTime(new Date()).build());
        forever.sign(new RSASSASigner((RSAPrivateKey) jwtKeys.getPrivate()));
        TcpTestClient client = connect("127.0.46.1");
        client.sendLine("AUTH " + forever.serialize());
        assertThat(client.readLine()).isEqualTo("ERROR auth failed");
        client.awaitClosedByServer();
        await().until(() -> output.getOut().contains("JWT without an exp claim (gateway.auth.jwt.require-expiry)"));
        assertThat(registry.all()).noneMatch((peer) -> "forever".equals(peer.principal()));
    }

    /**
     * CONTRACT section 11 and issue 20: a subject holding CR/LF and ANSI escapes used to forge whole log lines,
     * and a 10 KB one made 10 KB lines. Both are refused at login, and nothing the client chose reaches the
     * log unescaped.
     */
    @Test
    void aPrincipalWithControlCharactersOrOver256CharactersIsRefusedAndForgesNoLogLine(CapturedOutput output)
            throws Exception {
        RSAPrivateKey key = (RSAPrivateKey) jwtKeys.getPrivate();
        String forged = "evil\r\n2026-12-03T12:00:00.000Z  INFO 1 --- [tcp-gateway] Connection closed: listener=tokens"
                + " id=forged remote=10.0.0.1:1 reason=FORGED\u001b[2J\u001b[H";
        TcpTestClient evil = connect("127.0.47.1");
        evil.sendLine("AUTH " + jwt(forged, Instant.now().plusSeconds(60), key));
        assertThat(evil.readLine()).isEqualTo("ERROR auth failed");
        TcpTestClient huge = connect("127.0.47.2");
        huge.sendLine("AUTH " + jwt("x".repeat(10_000), Instant.now().plusSeconds(60), key));
        assertThat(huge.readLine()).isEqualTo("ERROR auth failed");
        TcpTestClient longest = connect("127.0.47.3");
        longest.sendLine("AUTH " + jwt("d".repeat(256), Instant.now().plusSeconds(60), key));
        assertThat(longest.readLine()).as("256 characters are fine").isEqualTo("OK");

        await().until(() -> output.getOut().contains("a principal of 10000 characters, over 256"));
        assertThat(output.getOut()).contains("a principal holding control characters")
                .doesNotContain("reason=FORGED").doesNotContain("\u001b").doesNotContain("evil");
        assertThat(output.getOut().lines()).allMatch((line) -> line.length() < 2_000, "no line a client made long");
        assertThat(registry.all()).noneMatch((peer) -> peer.principal() != null && peer.principal().startsWith("evil"));
    }

    @Test
    void failedAuthenticationsOverMaxAuthFailuresBanTheAddress() {
        for (int i = 0; i < 3; i++) {
            TcpTestClient guesser = connect("127.0.45.1");
            guesser.sendLine("AUTH guess-" + i);
            assertThat(guesser.readLine()).isEqualTo("ERROR auth failed");
        }
        await().untilAsserted(() -> assertThat(admin().get("/actuator/bans").json().at("/bans").valueStream()
                .filter((ban) -> ban.at("/address").asString().equals("127.0.45.1")).map((ban) -> ban.at("/reason").asString()))
                .containsExactly("auth-failures"));
        assertThat(connect("127.0.45.1").readLine()).isEqualTo("ERROR banned");
    }

    @Test
    void aTrustedClientCertificateNamesItsCnAndAHandshakeWithoutOneFailsAndIsCounted() throws Exception {
        try (SSLSocket tls = tlsFrom(TestCertificates.presenting(trustedClient, serverKeystore))) {
            TcpTestClient client = TcpTestClient.over(tls);
            client.sendLine("who am i");
            assertThat(client.readLine()).isEqualTo("who am i");
            String id = awaitPrincipal("device-7");
            assertThat(admin().get("/actuator/connections/" + id).json().at("/principal").asString()).isEqualTo("device-7");
        }
        double before = failures("certs", CloseReason.AUTH_FAILED);
        for (SSLContext refused : List.of(TestCertificates.trusting(serverKeystore),
                TestCertificates.presenting(untrustedClient, serverKeystore))) {
            try (SSLSocket tls = tlsFrom(refused)) {
                assertThatThrownBy(() -> {
                    tls.startHandshake();
                    tls.getOutputStream().write("x\n".getBytes(StandardCharsets.US_ASCII));
                    tls.getOutputStream().flush();
                    if (tls.getInputStream().read() >= 0) {
                        throw new AssertionError("read data without a trusted certificate");
                    }
                    throw new IOException("closed");
                }).isInstanceOf(IOException.class);
            }
        }
        await().until(() -> failures("certs", CloseReason.AUTH_FAILED) == before + 2);
    }

    private SSLSocket tlsFrom(SSLContext context) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket();
        tls.connect(new InetSocketAddress("127.0.0.1", GatewayPorts.of(registrar, "certs")), 5000);
        tls.setSoTimeout(5000);
        return tls;
    }

    private static String jwt(String subject, Instant expiresAt, RSAPrivateKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder().subject(subject)
                .issueTime(Date.from(expiresAt.minusSeconds(120))).expirationTime(Date.from(expiresAt)).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private String awaitPrincipal(String principal) {
        return await().until(() -> registry.all().stream().filter((peer) -> principal.equals(peer.principal()))
                .map((peer) -> peer.id()).findFirst().orElse(null), (id) -> id != null);
    }

    private TcpTestClient connect(String address) {
        TcpTestClient client = TcpTestClient.connectFrom(address, GatewayPorts.of(registrar, "tokens"));
        clients.add(client);
        return client;
    }

    private TcpTestClient authenticated(String address) {
        TcpTestClient client = connect(address);
        client.sendLine("AUTH " + DEVICE_TOKEN);
        assertThat(client.readLine()).isEqualTo("OK");
        return client;
    }

    private double failures(CloseReason reason) {
        return failures("tokens", reason);
    }

    private double failures(String listener, CloseReason reason) {
        return meters.get("gateway.auth.failures").tag("listener", listener).tag("reason", reason.tag())
                .functionCounter().count();
    }

    private AdminClient admin() {
        return AdminClient.as(managementPort, "admin", "test-secret");
    }
}
