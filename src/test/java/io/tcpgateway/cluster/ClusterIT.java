package io.tcpgateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.connection.CloseReason;
import io.tcpgateway.support.AdminClient;
import io.tcpgateway.support.AdminClient.Response;
import io.tcpgateway.support.ClusterNode;
import io.tcpgateway.support.RedisSubscriber;
import io.tcpgateway.support.TcpTestClient;
import io.tcpgateway.support.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * CONTRACT section 10 with two real gateways (full application contexts on ephemeral ports) and a
 * real redis-server: broadcast across pods, echo kept local, admin calls from either pod, and what
 * happens while Redis is away.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    static TestRedis redis;
    static ClusterNode a;
    static ClusterNode b;

    final List<TcpTestClient> clients = new ArrayList<>();

    @BeforeAll
    static void twoGatewaysAndOneRedis() {
        redis = TestRedis.start();
        a = ClusterNode.start("node-a", redis.port());
        b = ClusterNode.start("node-b", redis.port());
        awaitBothSubscribed();
    }

    @AfterAll
    static void stopAll() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(TcpTestClient::close);
        await().until(() -> a.registry().size() == 0 && b.registry().size() == 0);
    }

    static void awaitBothSubscribed() {
        await().atMost(Duration.ofSeconds(30)).until(() -> redis.subscribers("tcp-gateway:bursts:chat") == 2
                && redis.subscribers("tcp-gateway:admin") == 2);
    }

    TcpTestClient connect(ClusterNode node, String listener) {
        TcpTestClient client = node.connect(listener);
        clients.add(client);
        node.idOf(client); // registered: it is among the node's peers when frames arrive
        return client;
    }

    @Test
    @Order(1)
    void aBroadcastFrameReachesThePeersOfBothPodsOnceAndInOrder() {
        TcpTestClient a1 = connect(a, "chat");
        TcpTestClient a2 = connect(a, "chat");
        TcpTestClient b1 = connect(b, "chat");
        TcpTestClient b2 = connect(b, "chat");
        double publishedBefore = a.counter("gateway.cluster.frames.published", "chat");
        double receivedBefore = b.counter("gateway.cluster.frames.received", "chat");

        for (int i = 0; i < 200; i++) {
            a1.sendLine("frame " + i);
        }
        for (TcpTestClient receiver : List.of(a2, b1, b2)) {
            for (int i = 0; i < 200; i++) {
                assertThat(receiver.readLine()).isEqualTo("frame " + i);
            }
        }
        // Exactly once: the next thing each of them reads is a later frame, not a duplicate; and the
        // sender never got its own frames back (include-sender is off), from its pod or the other.
        b2.sendLine("after");
        assertThat(b1.readLine()).isEqualTo("after");
        assertThat(a1.readLine()).isEqualTo("after");
        assertThat(a2.readLine()).isEqualTo("after");
        // Counted as Redis acknowledges each PUBLISH, which may come a moment after the frames arrived.
        await().untilAsserted(() -> assertThat(a.counter("gateway.cluster.frames.published", "chat") - publishedBefore)
                .isEqualTo(200));
        await().untilAsserted(() -> assertThat(b.counter("gateway.cluster.frames.received", "chat") - receivedBefore)
                .isEqualTo(200));
        String scrape = AdminClient.anonymous(b.managementPort()).get("/actuator/prometheus").body();
        assertThat(scrape).contains("gateway_cluster_frames_published_total{listener=\"chat\"}",
                "gateway_cluster_frames_received_total{listener=\"chat\"}",
                "gateway_cluster_publish_failures_total{listener=\"chat\"}");
    }

    @Test
    @Order(2)
    void twoSendersOnTwoPodsKeepTheirOwnOrderEverywhere() {
        TcpTestClient a1 = connect(a, "chat");
        TcpTestClient b1 = connect(b, "chat");
        TcpTestClient a2 = connect(a, "chat");
        TcpTestClient b2 = connect(b, "chat");
        for (int i = 0; i < 300; i++) {
            a1.sendLine("a " + i);
            b1.sendLine("b " + i);
        }
        for (TcpTestClient receiver : List.of(a2, b2)) {
            int nextA = 0;
            int nextB = 0;
            while (nextA < 300 || nextB < 300) {
                String line = receiver.readLine();
                if (line.startsWith("a ")) {
                    assertThat(line).isEqualTo("a " + nextA++);
                }
                else {
                    assertThat(line).isEqualTo("b " + nextB++);
                }
            }
        }
    }

    @Test
    @Order(3)
    void echoNeverLeavesThePod() {
        TcpTestClient onA = connect(a, "echo");
        TcpTestClient onB = connect(b, "echo");
        onA.sendLine("only for me");
        assertThat(onA.readLine()).isEqualTo("only for me");
        onB.sendLine("mine");
        assertThat(onB.readLine()).as("nothing from the other pod's echo listener came first").isEqualTo("mine");
        assertThat(a.counter("gateway.cluster.frames.published", "echo")).as("no cluster meters for echo").isEqualTo(-1);
    }

    @Test
    @Order(4)
    void getSendAndKickWorkFromThePodThatDoesNotHoldTheConnection() {
        TcpTestClient b1 = connect(b, "chat");
        String id = b.idOf(b1);
        assertThat(id).endsWith(".node-b");

        Response found = a.admin().get("/actuator/connections/" + id);
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().at("/id").asString()).isEqualTo(id);
        assertThat(found.json().at("/listener").asString()).isEqualTo("chat");
        assertThat(found.json().at("/remotePort").asInt()).isEqualTo(b1.socket().getLocalPort());

        assertThat(a.admin().post("/actuator/connections/" + id, "{\"message\":\"hello from a\"}").status()).isEqualTo(204);
        assertThat(b1.readLine()).isEqualTo("hello from a");
        assertThat(a.admin().post("/actuator/connections/" + id, "{\"text\":\"x\"}").status()).isEqualTo(400);

        assertThat(a.admin().delete("/actuator/connections/" + id).status()).isEqualTo(204);
        b1.awaitClosedByServer();
        await().untilAsserted(() -> assertThat(a.admin().get("/actuator/connections/" + id).json().at("/reason").asString())
                .isEqualTo(CloseReason.KICKED.tag()));

        Response unknownHere = a.admin().get("/actuator/connections/czzzz.node-b");
        assertThat(unknownHere.status()).isEqualTo(404);
        assertThat(unknownHere.json().at("/detail").asString()).contains("czzzz.node-b");
        Response noSuchPod = a.admin().delete("/actuator/connections/c1.node-z");
        assertThat(noSuchPod.status()).isEqualTo(404);
        assertThat(noSuchPod.json().at("/detail").asString()).contains("no pod 'node-z'");
    }

    @Test
    @Order(5)
    void anAdminBroadcastReachesEveryPodAndSaysHowManyTookIt() {
        TcpTestClient a1 = connect(a, "chat");
        TcpTestClient b1 = connect(b, "chat");
        TcpTestClient b2 = connect(b, "echo");
        Response answer = b.admin().post("/actuator/broadcast", "{\"message\":\"all hands\"}");
        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = answer.json();
        assertThat(body.at("/delivered").asInt()).isEqualTo(3);
        assertThat(body.at("/nodes").asInt()).isEqualTo(2);
        for (TcpTestClient client : List.of(a1, b1, b2)) {
            assertThat(client.readLine()).isEqualTo("all hands");
        }
        Response onlyChat = a.admin().post("/actuator/broadcast", "{\"message\":\"chat only\",\"listener\":\"chat\"}");
        assertThat(onlyChat.json().at("/delivered").asInt()).isEqualTo(2);
        assertThat(a1.readLine()).isEqualTo("chat only");
        assertThat(b1.readLine()).isEqualTo("chat only");
    }

    @Test
    @Order(6)
    void whatElseIsPublishedOnTheGatewaysChannelsIsIgnored() {
        TcpTestClient a1 = connect(a, "chat");
        TcpTestClient b1 = connect(b, "chat");
        redis.publish("tcp-gateway:admin", "{not-json");
        redis.publish("tcp-gateway:admin:node-b", "[1,2,3]");
        redis.publish("tcp-gateway:reply:node-a", "nonsense");
        redis.publish("tcp-gateway:frames:chat", "x"); // not even an envelope (its length byte says 120)
        redis.publish("tcp-gateway:bans", "{op:ban}");
        a1.sendLine("still fine");
        assertThat(b1.readLine()).isEqualTo("still fine");
        assertThat(a.admin().get("/actuator/connections/" + b.idOf(b1)).status()).isEqualTo(200);
    }

    @Test
    @Order(7)
    void withRedisAwayEachPodServesItsOwnPeersAndCrossPodDeliveryReturnsWithRedis() {
        TcpTestClient a1 = connect(a, "chat");
        TcpTestClient a2 = connect(a, "chat");
        TcpTestClient b1 = connect(b, "chat");
        JsonNode cluster = a.admin().get("/actuator/health").json().at("/components/cluster");
        assertThat(cluster.at("/status").asString()).as(cluster.toString()).isEqualTo("UP");
        assertThat(cluster.at("/details/node").asString()).isEqualTo("node-a");
        assertThat(cluster.at("/details/nodes").asInt()).as("pods subscribed").isEqualTo(2);
        double failuresBefore = a.counter("gateway.cluster.publish.failures", "chat");

        redis.stop();
        try {
            await().untilAsserted(() -> assertThat(a.admin().get("/actuator/health").json()
                    .at("/components/cluster/status").asString()).isEqualTo("DOWN"));
            assertThat(a.admin().get("/actuator/health").json().at("/components/cluster/details/error").asString())
                    .as("says why").isNotBlank();
            assertThat(b.admin().get("/actuator/health").json().at("/components/cluster/status").asString())
                    .isEqualTo("DOWN");
            JsonNode readiness = a.admin().get("/actuator/health/readiness").json();
            assertThat(readiness.at("/status").asString()).isEqualTo("UP");
            assertThat(readiness.at("/components/cluster").isMissingNode()).isTrue();
            assertThat(a.admin().get("/actuator/health/liveness").json().at("/status").asString()).isEqualTo("UP");

            a1.sendLine("local still works");
            assertThat(a2.readLine()).isEqualTo("local still works");
            await().untilAsserted(() -> assertThat(a.counter("gateway.cluster.publish.failures", "chat"))
                    .isGreaterThan(failuresBefore));
            assertThat(b1.readLineIfAny()).isNull();
        }
        finally {
            redis.restart();
        }

        // No gateway restarts: the bridge reconnects and resubscribes by itself.
        awaitBothSubscribed();
        AtomicInteger attempt = new AtomicInteger();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            a1.sendLine("back " + attempt.incrementAndGet());
            return b1.readLineIfAny() != null;
        });
        await().untilAsserted(() -> assertThat(a.admin().get("/actuator/health").json()
                .at("/components/cluster/status").asString()).isEqualTo("UP"));
        JsonNode anonymous = AdminClient.anonymous(a.managementPort()).get("/actuator/health").json();
        assertThat(anonymous.at("/components/cluster/status").asString()).isEqualTo("UP");
        assertThat(anonymous.at("/components/cluster/details").isMissingNode())
                .as("details are shown to the admin only").isTrue();
    }

    /** CONTRACT section 12: with the cluster on, a ban (made through the API or detected) reaches every pod. */
    @Test
    @Order(8)
    void aBanReachesEveryPodAndAPodThatJoinsLaterEnforcesTheBansInForce() {
        awaitBothSubscribed();
        await().until(() -> redis.subscribers("tcp-gateway:bans") == 2);
        TcpTestClient openOnB = b.connectFrom("127.0.20.1", "echo");
        clients.add(openOnB);
        b.idOf(openOnB);
        assertThat(a.admin().post("/actuator/bans", "{\"address\":\"127.0.20.1\",\"duration\":\"PT10M\",\"closeOpen\":true}")
                .status()).isEqualTo(201);
        assertThat(openOnB.readLine()).as("closeOpen on the other pod").isEqualTo("ERROR banned");
        await().untilAsserted(() -> assertThat(b.admin().get("/actuator/bans").json().at("/bans")
                .findValuesAsString("address")).contains("127.0.20.1"));
        assertRefused(b, "127.0.20.1");
        assertRefused(a, "127.0.20.1");

        assertThat(b.admin().delete("/actuator/bans/127.0.20.1").status()).as("lifted on the other pod").isEqualTo(204);
        await().until(() -> a.admin().get("/actuator/bans").json().at("/bans").findValuesAsString("address").isEmpty());
        assertLetIn(a, "127.0.20.1");

        assertThat(a.admin().post("/actuator/bans", "{\"address\":\"127.0.21.0/24\",\"duration\":\"PT10M\"}").status())
                .isEqualTo(201);
        assertThat(a.admin().post("/actuator/bans", "{\"address\":\"127.0.23.1\",\"duration\":\"1s\"}").status())
                .isEqualTo(201);
        await().until(() -> redis.integer("HEXISTS tcp-gateway:bans 127.0.23.1") == 1);
        await().until(() -> a.admin().get("/actuator/bans").json().at("/bans").findValuesAsString("address")
                .equals(List.of("127.0.21.0/24")));
        try (ClusterNode c = ClusterNode.start("node-c", redis.port(), "gateway.flapping.enabled=true",
                "gateway.flapping.max-count=1")) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(c.admin().get("/actuator/bans").json()
                    .at("/bans").findValuesAsString("address")).containsExactly("127.0.21.0/24"));
            assertRefused(c, "127.0.21.5");
            await().untilAsserted(() -> assertThat(redis.integer("HEXISTS tcp-gateway:bans 127.0.23.1"))
                    .as("an ended ban is removed from the hash by the pod that reads it").isZero());

            assertLetIn(c, "127.0.22.1");
            assertRefused(c, "127.0.22.1"); // the second connection within the window: flapping
            await().untilAsserted(() -> assertThat(a.admin().get("/actuator/bans").json().at("/bans").valueStream()
                    .filter((ban) -> ban.at("/address").asString().equals("127.0.22.1")).map((ban) -> ban.at("/reason").asString()))
                    .containsExactly("flapping"));
            assertRefused(a, "127.0.22.1");
            assertRefused(b, "127.0.22.1");
        }
        finally {
            a.admin().delete("/actuator/bans/127.0.21.0_24");
            a.admin().delete("/actuator/bans/127.0.22.1");
        }
    }

    /**
     * A rolling upgrade: a pod of a build before bursts (a plain subscriber of the frames channel here, as it is
     * there) gets every frame of this build's pods one a message, in the old layout, and its own frames reach their
     * peers; once it is gone, frames cross in bursts again. Order holds for the peers throughout.
     */
    @Test
    @Order(9)
    void aPodOfAnOlderBuildGetsEveryFrameOneAMessageAndItsFramesArriveUntilItLeaves() {
        awaitBothSubscribed();
        TcpTestClient a1 = connect(a, "chat");
        TcpTestClient b1 = connect(b, "chat");
        try (RedisSubscriber older = RedisSubscriber.subscribe(redis.port(), "tcp-gateway:frames:chat")) {
            probeUntilHeard(a1, b1, older); // both pods look every OlderPods.EVERY
            for (int i = 0; i < 100; i++) {
                a1.sendLine("one by one " + i);
            }
            for (int i = 0; i < 100; i++) {
                assertThat(b1.readLine()).isEqualTo("one by one " + i);
            }
            List<String> expected = IntStream.range(0, 100).mapToObj((i) -> "one by one " + i).toList();
            await().untilAsserted(() -> {
                List<String> heard = new ArrayList<>();
                for (byte[] message : older.messages()) { // one frame a message, in the layout older builds read
                    FrameEnvelope envelope = FrameEnvelope.decode(message);
                    assertThat(envelope).isNotNull();
                    assertThat(envelope.origin()).isEqualTo("node-a");
                    heard.add(new String(envelope.payloads().getFirst(), StandardCharsets.UTF_8));
                }
                assertThat(heard).filteredOn((frame) -> frame.startsWith("one by one ")).isEqualTo(expected);
            });

            RedisSubscriber.publish(redis.port(), "tcp-gateway:frames:chat",
                    FrameEnvelope.encode(FrameEnvelope.originBytes("node-old"), "from the older pod".getBytes(StandardCharsets.UTF_8)));
            assertThat(a1.readLine()).isEqualTo("from the older pod");
            assertThat(b1.readLine()).isEqualTo("from the older pod");
        }

        try (RedisSubscriber bursts = RedisSubscriber.subscribe(redis.port(), "tcp-gateway:bursts:chat")) {
            probeUntilHeard(a1, b1, bursts); // the older pod has gone: bursts again
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                burst.append("in bursts ").append(i).append('\n');
            }
            a1.sendRaw(burst.toString().getBytes(StandardCharsets.UTF_8)); // one write: one read burst, or a few
            for (int i = 0; i < 100; i++) {
                assertThat(b1.readLine()).isEqualTo("in bursts " + i);
            }
            List<String> expected = IntStream.range(0, 100).mapToObj((i) -> "in bursts " + i).toList();
            AtomicInteger messages = new AtomicInteger();
            await().untilAsserted(() -> {
                List<String> crossed = new ArrayList<>();
                messages.set(0);
                for (byte[] message : bursts.messages()) {
                    FrameEnvelope envelope = FrameEnvelope.decodeBurst(message);
                    assertThat(envelope).isNotNull();
                    assertThat(envelope.origin()).isEqualTo("node-a");
                    List<String> frames = envelope.payloads().stream().map((payload) -> new String(payload, StandardCharsets.UTF_8))
                            .filter((frame) -> frame.startsWith("in bursts ")).toList();
                    messages.addAndGet(frames.isEmpty() ? 0 : 1);
                    crossed.addAll(frames);
                }
                assertThat(crossed).isEqualTo(expected);
            });
            assertThat(messages.get()).as("fewer messages than frames").isLessThan(100);
        }
    }

    /** Sends probes from {@code sender} until {@code subscriber} hears one; {@code receiver} reads them all. */
    private static void probeUntilHeard(TcpTestClient sender, TcpTestClient receiver, RedisSubscriber subscriber) {
        int heardBefore = subscriber.messages().size();
        AtomicInteger sent = new AtomicInteger();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
            sender.sendLine("probe " + sent.incrementAndGet());
            return subscriber.messages().size() > heardBefore;
        });
        for (int i = 1; i <= sent.get(); i++) {
            assertThat(receiver.readLine()).isEqualTo("probe " + i);
        }
    }

    private void assertRefused(ClusterNode node, String address) {
        TcpTestClient client = node.connectFrom(address, "echo");
        clients.add(client);
        assertThat(client.readLine()).as("%s on %s", address, node.nodeId()).isEqualTo("ERROR banned");
    }

    private void assertLetIn(ClusterNode node, String address) {
        TcpTestClient client = node.connectFrom(address, "echo");
        clients.add(client);
        client.sendLine("hello");
        assertThat(client.readLine()).as("%s on %s", address, node.nodeId()).isEqualTo("hello");
    }
}
