package io.tcpgateway.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Close reasons of failed reads and writes come from the exception's type, whatever its message says. */
class CloseReasonTest {

    @Test
    void aSocketExceptionOrAnEndOfStreamIsThePeerGoingAwayWhateverItsMessage() {
        assertThat(CloseReason.ofIoFailure(new SocketException("Connection reset"))).isEqualTo(CloseReason.PEER);
        assertThat(CloseReason.ofIoFailure(new SocketException("Datenübergabe unterbrochen (broken pipe)")))
                .isEqualTo(CloseReason.PEER);
        assertThat(CloseReason.ofIoFailure(new SocketException())).isEqualTo(CloseReason.PEER);
        assertThat(CloseReason.ofIoFailure(new EOFException())).isEqualTo(CloseReason.PEER);
    }

    @Test
    void tlsFailuresAndOtherFailuresAreErrors() {
        assertThat(CloseReason.ofIoFailure(new SSLHandshakeException("connection reset during handshake")))
                .isEqualTo(CloseReason.ERROR);
        assertThat(CloseReason.ofIoFailure(new SocketTimeoutException("Read timed out"))).isEqualTo(CloseReason.ERROR);
        assertThat(CloseReason.ofIoFailure(new IOException("end of stream"))).isEqualTo(CloseReason.ERROR);
        assertThat(CloseReason.ofIoFailure(new IllegalStateException("closed"))).isEqualTo(CloseReason.ERROR);
    }

    @Test
    void everyReasonTheGatewayDecidesOnNamesItsGoodbyeExceptASlowConsumer() {
        assertThat(new String(CloseReason.KICKED.goodbye())).isEqualTo("ERROR kicked");
        assertThat(new String(CloseReason.HEARTBEAT_TIMEOUT.goodbye())).isEqualTo("ERROR heartbeat timeout");
        assertThat(new String(CloseReason.FRAME_TOO_LARGE.goodbye())).isEqualTo("ERROR frame too large");
        assertThat(new String(CloseReason.REJECTED.goodbye())).isEqualTo("ERROR server full");
        assertThat(CloseReason.SLOW_CONSUMER.goodbye()).isNull();
        assertThat(CloseReason.PEER.goodbye()).isNull();
    }
}
