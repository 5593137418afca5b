package io.tcpgateway.connection;

import static io.tcpgateway.support.Bytes.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.framing.FrameCodec;
import io.tcpgateway.listener.ListenerRegistrar;
import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.TcpTestClient;
import io.tcpgateway.support.Peers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Issue 21 and docs/behaviour.md: the end of a client's input is not the end of the conversation.
 * {@code printf 'PING\nhello\n' | nc host 9000} half-closes once its input ends; it must still get
 * {@code PONG} and its echo, then the gateway closes (reason {@code peer}). Before, 21 of 40 such clients
 * got nothing: the answers were dropped with the connection. Forty tries per case, every framing, and an
 * {@code auth: token} listener.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.listeners[0].name=lines", "gateway.listeners[0].port=0", "gateway.listeners[0].mode=echo",
        "gateway.listeners[1].name=binary", "gateway.listeners[1].port=0", "gateway.listeners[1].mode=echo",
        "gateway.listeners[1].framing=length-prefix",
        "gateway.listeners[2].name=stx", "gateway.listeners[2].port=0", "gateway.listeners[2].mode=echo",
        "gateway.listeners[2].framing=stx-etx",
        "gateway.listeners[3].name=tokens", "gateway.listeners[3].port=0", "gateway.listeners[3].mode=echo",
        "gateway.listeners[3].auth=token",
        "gateway.auth.tokens.device-a=" + HalfCloseIT.TOKEN_SHA256 })
class HalfCloseIT {

    static final String TOKEN = "half-close-token";
    static final String TOKEN_SHA256 = "d6290cafab1c634c3687647ead43245ea227a0ffff4a79664774b7022277bdeb"; // of TOKEN
    static final int TRIES = 40;

    @Autowired
    ListenerRegistrar registrar;

    @Autowired
    PeerRegistry registry;

    @ParameterizedTest
    @ValueSource(strings = { "lines", "binary", "stx" })
    void framesReadBeforeTheEndOfInputAreAnsweredThenTheConnectionCloses(String listener) {
        FrameCodec codec = registrar.listener(listener).codec();
        byte[] expected = concat(codec.encode(ascii("PONG")), codec.encode(ascii("hello")), codec.encode(ascii("world")));
        long closedAsPeerBefore = closedAsPeer(listener);
        for (int i = 0; i < TRIES; i++) {
            try (TcpTestClient client = TcpTestClient.connect(GatewayPorts.of(registrar, listener))) {
                client.sendRaw(concat(codec.encode(ascii("PING")), codec.encode(ascii("hello")), codec.encode(ascii("world"))));
                shutdownOutput(client);
                assertThat(client.readUntilClosed()).as("try %d", i).isEqualTo(expected);
            }
        }
        await().until(() -> closedAsPeer(listener) >= closedAsPeerBefore + TRIES);
    }

    @Test
    void anAuthenticatingClientThatHalfClosesGetsItsOkAndItsEcho() {
        for (int i = 0; i < TRIES; i++) {
            try (TcpTestClient client = TcpTestClient.connect(GatewayPorts.of(registrar, "tokens"))) {
                client.sendRaw(ascii("AUTH " + TOKEN + "\nhi " + i + "\n"));
                shutdownOutput(client);
                assertThat(new String(client.readUntilClosed(), StandardCharsets.US_ASCII)).as("try %d", i)
                        .isEqualTo("OK\nhi " + i + "\n");
            }
        }
    }

    @Test
    void aFrameCutOffByTheEndOfInputIsDroppedAndTheOnesBeforeItAnswered() {
        try (TcpTestClient client = TcpTestClient.connect(GatewayPorts.of(registrar, "lines"))) {
            client.sendRaw(ascii("whole\nhalf a fra"));
            shutdownOutput(client);
            assertThat(new String(client.readUntilClosed(), StandardCharsets.US_ASCII)).isEqualTo("whole\n");
        }
    }

    @Test
    void aClientThatNeverReadsItsAnswersIsClosedAtTheCloseDeadline() {
        try (TcpTestClient client = TcpTestClient.connectNonReading(GatewayPorts.of(registrar, "lines"))) {
            Peer peer = Peers.awaitPeer(registry, client);
            byte[] line = ascii("x".repeat(1000) + "\n");
            for (int i = 0; i < 300; i++) { // 300 KB of echoes into a 4 KiB receive window: under the backlog bound
                client.sendRaw(line);
            }
            shutdownOutput(client);
            long ended = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).until(peer::isClosed);
            assertThat(Duration.ofNanos(System.nanoTime() - ended)).as("the close deadline").isLessThan(Duration.ofSeconds(5));
            assertThat(peer.closeReason()).isEqualTo(CloseReason.PEER);
        }
    }

    private long closedAsPeer(String listener) {
        return registrar.listener(listener).stats().closed(CloseReason.PEER);
    }

    private static void shutdownOutput(TcpTestClient client) {
        try {
            client.socket().shutdownOutput();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
