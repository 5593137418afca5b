package io.tcpgateway.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mode changes of a parked reader's channel on real sockets ({@link ChannelParking}, {@link ParkedReaders}):
 * bytes resume it, a writer that fills the send buffer gets it back and finishes, and a close frees a writer's
 * wait and the descriptor.
 */
class ChannelParkingTest {

    ParkedReaders parked;
    ServerSocketChannel server;
    Socket client;
    SocketChannel channel;
    ChannelParking parking;
    final AtomicInteger resumed = new AtomicInteger();

    @BeforeEach
    void connect() throws IOException {
        parked = new ParkedReaders();
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = new Socket();
        client.setReceiveBufferSize(4096);
        client.connect(server.getLocalAddress());
        channel = server.accept();
        parking = new ChannelParking(channel, parked, 1000, () -> {
            try {
                parking.blockingAgain(); // as GatewayConnection's resumed reader does first
            }
            catch (IOException closed) {
                // a closed channel: nothing to resume
            }
            resumed.incrementAndGet();
        });
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        channel.close();
        server.close();
        parked.close();
    }

    @Test
    void bytesFromTheClientResumeTheReaderOnceWithTheChannelBlockingAgain() throws IOException {
        assertThat(parking.park()).isTrue();
        assertThat(channel.isBlocking()).isFalse();
        assertThat(parking.isParked()).isTrue();
        client.getOutputStream().write('x');
        await().until(() -> resumed.get() == 1);
        assertThat(channel.isBlocking()).isTrue();
        assertThat(parking.isParked()).isFalse();
        assertThat(channel.socket().getInputStream().read()).isEqualTo('x');
    }

    @Test
    void aWriterThatFillsTheSendBufferOfAParkedChannelGetsTheReaderBackAndWritesEverything() throws Exception {
        assertThat(parking.park()).isTrue();
        byte[] frames = new byte[4 << 20]; // far beyond both sockets' buffers
        for (int i = 0; i < frames.length; i++) {
            frames[i] = (byte) (i * 31);
        }
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                parking.output().write(frames);
            }
            catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        }, Thread::startVirtualThread);
        await().until(() -> resumed.get() == 1);
        assertThat(writer).isNotDone(); // the client has read nothing yet
        byte[] received = client.getInputStream().readNBytes(frames.length);
        writer.get();
        assertThat(Arrays.equals(received, frames)).isTrue();
    }

    @Test
    void aSmallWriteToAParkedChannelLeavesItParked() throws IOException {
        assertThat(parking.park()).isTrue();
        parking.output().write("PING\n".getBytes());
        InputStream in = client.getInputStream();
        assertThat(new String(in.readNBytes(5))).isEqualTo("PING\n");
        assertThat(parking.isParked()).isTrue();
        assertThat(resumed.get()).isZero();
    }

    @Test
    void closingAParkedChannelFreesItsDescriptorAndAWaitingWriterFailsAsASocketWould() throws Exception {
        long before = openDescriptors();
        assertThat(parking.park()).isTrue();
        channel.close();
        parking.closed();
        await().until(() -> openDescriptors() < before);
        assertThat(resumed.get()).isZero();
        assertThatThrownBy(() -> parking.output().write(new byte[10])).isInstanceOf(SocketException.class);
    }

    @Test
    void aBusyConnectionWaitsWithoutATimeoutAndAQuietOneWithIt() {
        assertThat(parking.betweenFramesMillis()).as("a new connection").isEqualTo(1000);
        for (int i = 1; i < ChannelParking.BUSY_AFTER_SHORT_WAITS; i++) {
            parking.waited(100_000);
        }
        assertThat(parking.betweenFramesMillis()).as("not yet busy").isEqualTo(1000);
        parking.waited(100_000);
        assertThat(parking.betweenFramesMillis()).as("busy: no timer per wait").isZero();
        parking.waited(ChannelParking.SHORT_WAIT_NANOS);
        assertThat(parking.betweenFramesMillis()).as("one longer wait").isEqualTo(1000);
        for (int i = 0; i < ChannelParking.BUSY_AFTER_SHORT_WAITS; i++) {
            parking.waited(100_000);
        }
        parking.waited(Long.MAX_VALUE);
        assertThat(parking.betweenFramesMillis()).as("timed out").isEqualTo(1000);
    }

    static long openDescriptors() {
        return Objects.requireNonNull(new File("/proc/self/fd").list()).length;
    }
}
