package io.tcpgateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.support.ClusterNode;
import io.tcpgateway.support.Closing;
import io.tcpgateway.support.TcpTestClient;
import io.tcpgateway.support.TestRedis;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code gateway.cluster.max-pending-frames} counts frames, whatever the bursts carry them: while Redis stalls
 * (a real redis-server in {@code DEBUG SLEEP}), a flooding sender's frames beyond the bound are refused at once and
 * counted as publish failures, never held in memory, and its pod's own peers get every frame, in order, meanwhile.
 */
class ClusterBacklogIT {

    static final int MAX_PENDING = 100;
    static final int FRAMES = 2_000;

    static TestRedis redis;
    static ClusterNode node;

    @BeforeAll
    static void onePodWithASmallBacklog() {
        redis = TestRedis.start();
        node = ClusterNode.start("node-a", redis.port(), "gateway.cluster.max-pending-frames=" + MAX_PENDING);
        await().atMost(Duration.ofSeconds(30)).until(() -> redis.subscribers("tcp-gateway:bursts:chat") == 1);
    }

    @AfterAll
    static void stopAll() {
        Closing.all(node, redis);
    }

    @Test
    void whileRedisStallsFramesOverTheBoundAreRefusedAndCountedAndLocalPeersGetThemAll() throws Exception {
        TcpTestClient sender = node.connect("chat");
        TcpTestClient receiver = node.connect("chat");
        node.idOf(sender);
        node.idOf(receiver);
        double publishedBefore = node.counter("gateway.cluster.frames.published", "chat");
        double failedBefore = node.counter("gateway.cluster.publish.failures", "chat");
        String filler = "x".repeat(2_000); // at most about 32 frames in one 64 KiB burst envelope

        try (Socket sleeping = sleep(Duration.ofSeconds(3))) {
            for (int i = 0; i < FRAMES; i++) {
                sender.sendLine(i + " " + filler);
            }
            for (int i = 0; i < FRAMES; i++) {
                assertThat(receiver.readLine()).isEqualTo(i + " " + filler);
            }
            assertThat((char) sleeping.getInputStream().read()).as("DEBUG SLEEP answers when Redis wakes").isEqualTo('+');
        }

        await().untilAsserted(() -> assertThat(node.counter("gateway.cluster.frames.published", "chat") - publishedBefore
                + node.counter("gateway.cluster.publish.failures", "chat") - failedBefore)
                .as("every frame counted once, published or refused").isEqualTo(FRAMES));
        double published = node.counter("gateway.cluster.frames.published", "chat") - publishedBefore;
        assertThat(published).as("no more than the bound (and one burst) waited for Redis").isLessThanOrEqualTo(MAX_PENDING + 33);
        assertThat(published).as("what was taken before the bound was published once Redis woke").isPositive();

        sender.sendLine("after the stall");
        assertThat(receiver.readLine()).isEqualTo("after the stall");
        await().untilAsserted(() -> assertThat(node.counter("gateway.cluster.frames.published", "chat") - publishedBefore)
                .as("the bound freed once Redis answered").isEqualTo(published + 1));
    }

    /**
     * Sends {@code DEBUG SLEEP} on a connection of its own and returns without waiting: Redis, single-threaded, takes
     * it at once and answers nothing to anyone until it wakes; the answer can then be read from the socket.
     */
    private static Socket sleep(Duration duration) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", redis.port()), 2000);
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(("DEBUG SLEEP " + duration.toSeconds() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        try (Socket ping = new Socket()) { // asleep once a PING goes unanswered
            ping.connect(new InetSocketAddress("127.0.0.1", redis.port()), 2000);
            ping.setSoTimeout(300);
            ping.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> ping.getInputStream().read());
        }
        return socket;
    }
}
