package io.tcpgateway.support;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Key material made at test time with the JDK's keytool: nothing secret is committed. */
public final class TestCertificates {

    public static final String PASSWORD = "changeit";

    private TestCertificates() {
    }

    /** A PKCS12 keystore with a self-signed EC certificate for localhost and 127.0.0.1, valid for 2 days. */
    public static Path selfSignedKeystore() throws IOException, InterruptedException {
        return selfSignedKeystore("localhost");
    }

    /** As {@link #selfSignedKeystore()}, with {@code CN=<commonName>} (a client certificate, say). */
    public static Path selfSignedKeystore(String commonName) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("tcp-gateway-tls");
        Path file = dir.resolve("gateway.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "gateway", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + commonName, "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (keytool.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        return file;
    }

    /** Registers {@code keystore} as the keystore of the PKCS12 SSL bundle {@code spring.ssl.bundle.jks.<bundle>}. */
    public static void registerKeystore(DynamicPropertyRegistry properties, String bundle, Path keystore) {
        register(properties, "spring.ssl.bundle.jks." + bundle + ".keystore", keystore);
    }

    /** Registers {@code truststore} as the truststore of the PKCS12 SSL bundle {@code spring.ssl.bundle.jks.<bundle>}. */
    public static void registerTruststore(DynamicPropertyRegistry properties, String bundle, Path truststore) {
        register(properties, "spring.ssl.bundle.jks." + bundle + ".truststore", truststore);
    }

    private static void register(DynamicPropertyRegistry properties, String prefix, Path store) {
        properties.add(prefix + ".location", () -> "file:" + store);
        properties.add(prefix + ".password", () -> PASSWORD);
        properties.add(prefix + ".type", () -> "PKCS12");
    }

    /** The SHA-256 of a token as 64 hex digits: what {@code gateway.auth.tokens.<name>} holds. */
    public static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** A client TLS context that trusts the certificate in {@code keystore}. */
    public static SSLContext trusting(Path keystore) throws IOException, GeneralSecurityException {
        return context(null, keystore);
    }

    /** A client TLS context that presents the certificate of {@code clientKeystore} and trusts {@code serverKeystore}'s. */
    public static SSLContext presenting(Path clientKeystore, Path serverKeystore) throws IOException, GeneralSecurityException {
        return context(clientKeystore, serverKeystore);
    }

    /** A client TLS context that accepts any server certificate: for tests that look at which one they got. */
    public static SSLContext trustingAnything() throws GeneralSecurityException {
        X509TrustManager anything = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] { anything }, null);
        return context;
    }

    /** A PKCS12 truststore holding the certificates (not the keys) of the given keystores. */
    public static Path truststoreOf(Path... keystores) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < keystores.length; i++) {
            trust.setCertificateEntry("trusted-" + i, load(keystores[i]).getCertificate("gateway"));
        }
        Path file = Files.createTempDirectory("tcp-gateway-trust").resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            trust.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    private static SSLContext context(Path clientKeystore, Path trusted) throws IOException, GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(trusted));
        KeyManager[] keys = null;
        if (clientKeystore != null) {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(load(clientKeystore), PASSWORD.toCharArray());
            keys = factory.getKeyManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(file.toFile())) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }
}
