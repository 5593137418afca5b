package io.tcpgateway.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.listener.ListenerRegistrar;
import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.Peers;
import io.tcpgateway.support.TcpTestClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Limits (max-frame-bytes, max-connections, max-connections-per-source) and hostile input: each closes only the offending
 * connection, with its error frame and reason, while the other peers carry on.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.listeners[0].name=small", "gateway.listeners[0].port=0", "gateway.listeners[0].mode=echo",
        "gateway.listeners[0].max-frame-bytes=16",
        "gateway.listeners[1].name=binary", "gateway.listeners[1].port=0", "gateway.listeners[1].mode=echo",
        "gateway.listeners[1].framing=length-prefix", "gateway.listeners[1].max-frame-bytes=1024",
        "gateway.listeners[2].name=stx", "gateway.listeners[2].port=0", "gateway.listeners[2].mode=echo",
        "gateway.listeners[2].framing=stx-etx", "gateway.listeners[2].max-frame-bytes=16",
        "gateway.listeners[3].name=tiny", "gateway.listeners[3].port=0", "gateway.listeners[3].mode=echo",
        "gateway.listeners[3].max-connections=2",
        "gateway.listeners[4].name=per-source", "gateway.listeners[4].port=0", "gateway.listeners[4].mode=echo",
        "gateway.listeners[4].max-connections-per-source=2" })
class LimitsAndBadInputIT {

    @Autowired
    ListenerRegistrar registrar;

    @Autowired
    PeerRegistry registry;

    int port(String listener) {
        return GatewayPorts.of(registrar, listener);
    }

    @Test
    void aLineOverMaxFrameBytesGetsTheErrorFrameAndOnlyThatConnectionCloses() {
        try (TcpTestClient bystander = TcpTestClient.connect(port("small"));
                TcpTestClient offender = TcpTestClient.connect(port("small"))) {
            offender.sendLine("exactly16bytes!!");
            assertThat(offender.readLine()).isEqualTo("exactly16bytes!!");
            String offenderId = Peers.awaitPeer(registry, offender).id();
            offender.sendRaw("exactly16bytes!!\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(offender.readLine()).as("a CR before LF does not count").isEqualTo("exactly16bytes!!");
            offender.sendLine("seventeen bytes!!");
            assertThat(offender.readLine()).isEqualTo("ERROR frame too large");
            offender.awaitClosedByServer();
            assertClosedWith(CloseReason.FRAME_TOO_LARGE);
            ClosedPeer closed = await().until(() -> registry.closed().stream()
                    .filter((peer) -> peer.id().equals(offenderId)).findFirst().orElse(null), Objects::nonNull);
            assertThat(closed.reason()).isEqualTo(CloseReason.FRAME_TOO_LARGE);
            assertThat(closed.bytesIn()).as("what was read counts, the refused frame included")
                    .isEqualTo(17 + 18 + 18);
            bystander.sendLine("still here");
            assertThat(bystander.readLine()).isEqualTo("still here");
        }
    }

    @Test
    void anEndlessLineIsCutOffAtTheLimitWithoutBufferingIt() {
        try (TcpTestClient offender = TcpTestClient.connect(port("small"))) {
            byte[] noNewline = new byte[64 * 1024];
            Arrays.fill(noNewline, (byte) 'x');
            offender.sendRaw(noNewline);
            assertThat(offender.readLine()).isEqualTo("ERROR frame too large");
            offender.awaitClosedByServer();
        }
    }

    @Test
    void aFourGigabyteLengthPrefixIsRefusedWithoutAllocating() {
        try (TcpTestClient bystander = TcpTestClient.connect(port("binary"));
                TcpTestClient offender = TcpTestClient.connect(port("binary"))) {
            offender.sendRaw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
            assertThat(new String(offender.readLengthPrefixed(), StandardCharsets.US_ASCII))
                    .isEqualTo("ERROR frame too large");
            offender.awaitClosedByServer();
            bystander.sendLengthPrefixed("ok".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(bystander.readLengthPrefixed(), StandardCharsets.US_ASCII)).isEqualTo("ok");
        }
    }

    @Test
    void bytesOutsideStxEtxFramingCloseTheConnectionAsAnError() {
        try (TcpTestClient offender = TcpTestClient.connect(port("stx"))) {
            offender.sendRaw("no stx here".getBytes(StandardCharsets.US_ASCII));
            assertThat(offender.readExactly(21)).containsExactly(
                    ("\u0002ERROR invalid frame\u0003").getBytes(StandardCharsets.US_ASCII));
            offender.awaitClosedByServer();
            assertClosedWith(CloseReason.ERROR);
        }
        try (TcpTestClient offender = TcpTestClient.connect(port("stx"))) {
            offender.sendRaw(("\u0002" + "x".repeat(17) + "\u0003").getBytes(StandardCharsets.US_ASCII));
            assertThat(offender.readExactly(23)).containsExactly(
                    ("\u0002ERROR frame too large\u0003").getBytes(StandardCharsets.US_ASCII));
            offender.awaitClosedByServer();
        }
    }

    @Test
    void randomBytesNeverHurtTheGatewayOrOtherPeers() {
        Random random = new Random(42);
        for (String listener : List.of("small", "binary", "stx")) {
            try (TcpTestClient noise = TcpTestClient.connect(port(listener))) {
                byte[] garbage = new byte[256 * 1024];
                random.nextBytes(garbage);
                try {
                    noise.sendRaw(garbage);
                }
                catch (RuntimeException closedMidWrite) {
                    // the gateway may close it before all of it is written: that is the expected outcome
                }
                noise.awaitClosedByServer();
            }
        }
        try (TcpTestClient bystander = TcpTestClient.connect(port("small"))) {
            bystander.sendLine("alive");
            assertThat(bystander.readLine()).isEqualTo("alive");
        }
    }

    @Test
    void oneConnectionOverTheAddresssShareIsToldAndClosedWhileItsOpenOnesAreUntouched() {
        long before = registrar.listener("per-source").stats().closed(CloseReason.SOURCE_LIMIT);
        try (TcpTestClient first = TcpTestClient.connect(port("per-source"));
                TcpTestClient second = TcpTestClient.connect(port("per-source"))) {
            await().until(() -> registrar.listener("per-source").peers().size() == 2);
            try (TcpTestClient third = TcpTestClient.connect(port("per-source"))) {
                third.sendLine("me too");
                assertThat(third.readLine()).isEqualTo("ERROR too many connections from your address");
                third.awaitClosedByServer();
            }
            assertClosedWith(CloseReason.SOURCE_LIMIT);
            assertThat(registrar.listener("per-source").stats().closed(CloseReason.SOURCE_LIMIT)).isEqualTo(before + 1);
            first.sendLine("one");
            second.sendLine("two");
            assertThat(first.readLine()).isEqualTo("one");
            assertThat(second.readLine()).isEqualTo("two");
        }
        await().until(() -> registrar.listener("per-source").peers().isEmpty());
        try (TcpTestClient again = TcpTestClient.connect(port("per-source"))) {
            again.sendLine("freed");
            assertThat(again.readLine()).as("closing frees the address's slots").isEqualTo("freed");
        }
    }

    @Test
    void oneConnectionOverMaxConnectionsIsToldAndClosedWhileOpenOnesAreUntouched() {
        try (TcpTestClient first = TcpTestClient.connect(port("tiny"));
                TcpTestClient second = TcpTestClient.connect(port("tiny"))) {
            await().until(() -> registrar.listener("tiny").peers().size() == 2);
            try (TcpTestClient third = TcpTestClient.connect(port("tiny"))) {
                third.sendLine("let me in");
                assertThat(third.readLine()).isEqualTo("ERROR server full");
                third.awaitClosedByServer();
            }
            assertClosedWith(CloseReason.REJECTED);
            first.sendLine("one");
            second.sendLine("two");
            assertThat(first.readLine()).isEqualTo("one");
            assertThat(second.readLine()).isEqualTo("two");
        }
        await().until(() -> registrar.listener("tiny").peers().isEmpty());
        try (TcpTestClient again = TcpTestClient.connect(port("tiny"))) {
            again.sendLine("freed");
            assertThat(again.readLine()).as("closing frees the slot").isEqualTo("freed");
        }
    }

    @Test
    void aFloodOfConnectionsIsRejectedBeyondTheLimitAndTheListenerKeepsServing() {
        List<TcpTestClient> flood = new ArrayList<>();
        try (TcpTestClient first = TcpTestClient.connect(port("tiny"))) {
            await().until(() -> registrar.listener("tiny").peers().size() == 1);
            long rejectedBefore = rejectedCount();
            for (int i = 0; i < 300; i++) {
                flood.add(TcpTestClient.connect(port("tiny")));
            }
            await().until(() -> rejectedCount() - rejectedBefore == 299);
            assertThat(registrar.listener("tiny").peers()).hasSize(2);
            first.sendLine("unharmed");
            assertThat(first.readLine()).isEqualTo("unharmed");
        }
        finally {
            flood.forEach(TcpTestClient::close);
        }
    }

    private long rejectedCount() {
        return registry.closed().stream().filter((peer) -> peer.reason() == CloseReason.REJECTED).count();
    }

    private void assertClosedWith(CloseReason reason) {
        await().until(() -> registry.closed().stream().anyMatch((peer) -> peer.reason() == reason));
    }
}
