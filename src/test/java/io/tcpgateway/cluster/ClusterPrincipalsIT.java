package io.tcpgateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.support.AdminClient.Response;
import io.tcpgateway.support.ClusterNode;
import io.tcpgateway.support.Closing;
import io.tcpgateway.support.TcpTestClient;
import io.tcpgateway.support.TestCertificates;
import io.tcpgateway.support.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * CONTRACT section 14 across three real gateways (full application contexts) and a real redis-server: a
 * message to a principal's connections on two pods, a queue kept in Redis and delivered exactly once when the
 * principal logs in on two pods at the same moment, replace and refuse across pods, DELETE from a pod that holds
 * none of its connections.
 */
class ClusterPrincipalsIT {

    static final List<String> DEVICES = List.of("dev-1", "dev-2", "dev-3", "dev-4", "dev-5", "dev-6", "dev-7");

    static TestRedis redis;
    static ClusterNode a;
    static ClusterNode b;
    static ClusterNode c;

    final List<TcpTestClient> clients = new ArrayList<>();

    @BeforeAll
    static void threeGatewaysAndOneRedis() {
        redis = TestRedis.start();
        a = start("node-a");
        b = start("node-b");
        c = start("node-c");
        await().atMost(Duration.ofSeconds(30)).until(() -> redis.subscribers("tcp-gateway:admin") == 3);
    }

    static ClusterNode start(String node) {
        List<String> properties = new ArrayList<>(List.of(
                "gateway.listeners[2].name=devices", "gateway.listeners[2].port=0", "gateway.listeners[2].auth=token",
                "gateway.listeners[3].name=replace", "gateway.listeners[3].port=0", "gateway.listeners[3].auth=token",
                "gateway.listeners[3].duplicate-principal=replace", "gateway.listeners[3].mode=echo",
                "gateway.listeners[4].name=refuse", "gateway.listeners[4].port=0", "gateway.listeners[4].auth=token",
                "gateway.listeners[4].duplicate-principal=refuse", "gateway.listeners[4].mode=echo",
                "gateway.principals.queue.max-messages=5"));
        DEVICES.forEach((device) -> properties.add("gateway.auth.tokens." + device + "=" + TestCertificates.sha256Hex(token(device))));
        return ClusterNode.start(node, redis.port(), properties.toArray(String[]::new));
    }

    static String token(String device) {
        return "token-of-" + device;
    }

    @AfterAll
    static void stopAll() {
        Closing.all(a, b, c, redis);
    }

    @AfterEach
    void closeClients() {
        clients.forEach(TcpTestClient::close);
        await().until(() -> a.registry().size() == 0 && b.registry().size() == 0 && c.registry().size() == 0);
    }

    @Test
    void aMessageReachesTheConnectionsOfThePrincipalOnEveryPod() {
        TcpTestClient onA = login(a, "devices", "dev-1");
        TcpTestClient onB = login(b, "devices", "dev-1");
        Response sent = c.admin().post("/actuator/principals/dev-1", "{\"message\":\"to both\"}");
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        assertThat(sent.json().at("/delivered").asInt()).isEqualTo(2);
        assertThat(onA.readLine()).isEqualTo("to both");
        assertThat(onB.readLine()).isEqualTo("to both");
        JsonNode shown = c.admin().get("/actuator/principals/dev-1").json();
        assertThat(shown.at("/connections").findValuesAsString("id")).containsExactlyInAnyOrder(a.idOf(onA), b.idOf(onB));
    }

    @Test
    void aMessageQueuedOnOnePodIsDeliveredOnceWhenThePrincipalLogsInOnTwoOthersAtTheSameMoment() throws Exception {
        for (int round = 0; round < 10; round++) {
            for (int i = 1; i <= 3; i++) {
                Response queued = a.admin().post("/actuator/principals/dev-2",
                        "{\"message\":\"round " + round + " message " + i + "\",\"ttl\":\"PT10M\"}");
                assertThat(queued.status()).as(queued.body()).isEqualTo(202);
            }
            assertThat(b.admin().get("/actuator/principals/dev-2").json().at("/queued").asInt()).isEqualTo(3);
            TcpTestClient onB = connect(b, "devices");
            TcpTestClient onC = connect(c, "devices");
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<List<String>> fromB = CompletableFuture.supplyAsync(() -> loginAndDrain(onB, together));
            CompletableFuture<List<String>> fromC = CompletableFuture.supplyAsync(() -> loginAndDrain(onC, together));
            List<String> all = new ArrayList<>(fromB.get());
            all.addAll(fromC.get());
            // Each message exactly once, and in order on the connection that took it (one takes them all).
            assertThat(all).containsExactly("round " + round + " message 1", "round " + round + " message 2",
                    "round " + round + " message 3");
            assertThat(List.of(fromB.get().size(), fromC.get().size())).containsAnyOf(0).contains(3);
            onB.close();
            onC.close();
            await().until(() -> b.registry().size() == 0 && c.registry().size() == 0);
        }
    }

    @Test
    void theQueueInRedisKeepsItsBoundOrderAndTtlForEveryPod() {
        Response expiring = a.admin().post("/actuator/principals/dev-7", "{\"message\":\"stale\",\"ttl\":\"2s\"}");
        assertThat(expiring.status()).as(expiring.body()).isEqualTo(202);
        assertThat(c.admin().get("/actuator/principals/dev-7").json().at("/queued").asInt()).isEqualTo(1);
        await().until(() -> c.admin().get("/actuator/principals/dev-7").status() == 404); // past its ttl
        for (int i = 1; i <= 5; i++) {
            assertThat(b.admin().post("/actuator/principals/dev-7", "{\"message\":\"kept " + i + "\",\"ttl\":\"PT1H\"}")
                    .status()).isEqualTo(202);
        }
        // The expired one takes no room; a sixth does not fit.
        Response full = c.admin().post("/actuator/principals/dev-7", "{\"message\":\"one too many\",\"ttl\":\"PT1H\"}");
        assertThat(full.status()).as(full.body()).isEqualTo(409);
        assertThat(full.contentType()).startsWith("application/problem+json");
        assertThat(full.json().at("/detail").asString()).contains("max-messages (5)");
        assertThat(redis.integer("LLEN tcp-gateway:queue:dev-7")).isEqualTo(5); // in Redis, for every pod
        await().untilAsserted(() -> assertThat(c.admin().get("/actuator/principals/dev-7").json().at("/queued").asInt())
                .isEqualTo(5));
        double expired = 0;
        for (ClusterNode node : List.of(a, b, c)) {
            expired += node.counterOf("gateway.principals.messages", "expired");
        }
        assertThat(expired).as("dropped once, by the pod that found it expired").isEqualTo(1);
        // Every pod's gauge: the count at the last sweep (every 5 s, on one pod at a time).
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(List.of(a, b, c).stream()
                .map((node) -> node.gauge("gateway.principals.queued"))).containsOnly(5.0));

        TcpTestClient device = login(c, "devices", "dev-7");
        for (int i = 1; i <= 5; i++) {
            assertThat(device.readLine()).isEqualTo("kept " + i);
        }
        assertThat(redis.integer("EXISTS tcp-gateway:queue:dev-7")).isZero();
        assertThat(a.admin().get("/actuator/principals/dev-7").json().at("/queued").asInt()).isZero();
    }

    /** AUTH, OK, then every frame up to the answer to a PING sent after OK. */
    private static List<String> loginAndDrain(TcpTestClient client, CyclicBarrier together) {
        try {
            together.await();
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
        client.sendLine("AUTH " + token("dev-2"));
        assertThat(client.readLine()).isEqualTo("OK");
        client.sendLine("PING");
        List<String> frames = new ArrayList<>();
        for (String line = client.readLine(); !line.equals("PONG"); line = client.readLine()) {
            frames.add(line);
        }
        return frames;
    }

    @Test
    void queuedMessagesComeRightAfterOkBeforeBroadcastsFromThisPodAndAnother() throws Exception {
        TcpTestClient talkerHere = login(b, "devices", "dev-1");
        TcpTestClient talkerThere = login(a, "devices", "dev-3");
        AtomicBoolean talking = new AtomicBoolean(true);
        List<Thread> broadcasters = new ArrayList<>();
        // A steady 2 000 frames/s each, well inside what one Redis carries: a login's take from the queue is a
        // Redis round trip, so several broadcasts arrive while it runs, and would overtake the queued messages
        // if the connection took broadcasts before it had them.
        for (TcpTestClient talker : List.of(talkerHere, talkerThere)) {
            broadcasters.add(Thread.ofVirtual().start(() -> {
                for (int n = 0; talking.get(); n++) {
                    talker.sendLine("broadcast " + n);
                    LockSupport.parkNanos(500_000);
                }
            }));
        }
        try {
            for (int round = 0; round < 20; round++) {
                for (int i = 1; i <= 3; i++) {
                    assertThat(c.admin().post("/actuator/principals/dev-4", "{\"message\":\"queued " + i + "\",\"ttl\":\"PT1H\"}")
                            .status()).isEqualTo(202);
                }
                try (TcpTestClient device = b.connect("devices")) {
                    device.sendLine("AUTH " + token("dev-4"));
                    assertThat(device.readLine()).isEqualTo("OK");
                    for (int i = 1; i <= 3; i++) {
                        assertThat(device.readLine()).as("round " + round).isEqualTo("queued " + i);
                    }
                    assertThat(device.readLine()).startsWith("broadcast ");
                }
                await().until(() -> b.registry().ofPrincipal("dev-4").isEmpty());
            }
        }
        finally {
            talking.set(false);
            for (Thread broadcaster : broadcasters) {
                broadcaster.join();
            }
        }
    }

    @Test
    void replaceHoldsAcrossPods() {
        TcpTestClient older = login(a, "replace", "dev-3");
        TcpTestClient newer = login(b, "replace", "dev-3");
        assertThat(older.readLine()).isEqualTo("ERROR replaced");
        older.awaitClosedByServer();
        newer.sendLine("still here");
        assertThat(newer.readLine()).isEqualTo("still here");
        await().untilAsserted(() -> assertThat(a.admin().get("/actuator/connections?state=closed&principal=dev-3").json()
                .at("/connections/0/reason").asString()).isEqualTo("replaced"));
    }

    @Test
    void twoLoginsOfOnePrincipalOnTwoPodsAtOnceLeaveExactlyOne() throws Exception {
        for (int round = 0; round < 10; round++) {
            TcpTestClient onA = connect(a, "replace");
            TcpTestClient onB = connect(b, "replace");
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<String> loginA = CompletableFuture.supplyAsync(() -> authenticate(onA, together));
            CompletableFuture<String> loginB = CompletableFuture.supplyAsync(() -> authenticate(onB, together));
            String firstA = loginA.get();
            String firstB = loginB.get();
            await().until(() -> a.registry().ofPrincipal("dev-4").size() + b.registry().ofPrincipal("dev-4").size() == 1);
            boolean aLost = a.registry().ofPrincipal("dev-4").isEmpty();
            TcpTestClient loser = aLost ? onA : onB;
            TcpTestClient winner = aLost ? onB : onA;
            assertThat(aLost ? firstB : firstA).as("the survivor logged in").isEqualTo("OK");
            // The other was replaced once it had logged in, or while its login was still being decided (then it
            // never got its OK): either way it is told why.
            if ((aLost ? firstA : firstB).equals("OK")) {
                assertThat(loser.readLine()).isEqualTo("ERROR replaced");
            }
            else {
                assertThat(aLost ? firstA : firstB).isEqualTo("ERROR replaced");
            }
            loser.awaitClosedByServer();
            winner.sendLine("still here");
            assertThat(winner.readLine()).isEqualTo("still here");
            onA.close();
            onB.close();
            await().until(() -> a.registry().size() == 0 && b.registry().size() == 0);
        }
    }

    /** AUTH for dev-4 at the same moment as another client; the first frame answered. */
    private static String authenticate(TcpTestClient client, CyclicBarrier together) {
        try {
            together.await();
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
        client.sendLine("AUTH " + token("dev-4"));
        return client.readLine();
    }

    @Test
    void refuseHoldsAcrossPods() {
        TcpTestClient first = login(a, "refuse", "dev-5");
        TcpTestClient refused = connect(c, "refuse");
        refused.sendLine("AUTH " + token("dev-5"));
        assertThat(refused.readLine()).isEqualTo("ERROR already connected");
        refused.awaitClosedByServer();
        first.sendLine("still here");
        assertThat(first.readLine()).isEqualTo("still here");
        await().untilAsserted(() -> assertThat(c.admin().get("/actuator/connections?state=closed&principal=dev-5").json()
                .at("/connections/0/reason").asString()).isEqualTo("duplicate"));
    }

    @Test
    void deleteClosesThePrincipalsConnectionsOnEveryPodAndDropsItsQueue() {
        TcpTestClient onA = login(a, "devices", "dev-6");
        TcpTestClient onB = login(b, "replace", "dev-6");
        assertThat(c.admin().delete("/actuator/principals/dev-6").status()).isEqualTo(204);
        for (TcpTestClient kicked : List.of(onA, onB)) {
            assertThat(kicked.readLine()).isEqualTo("ERROR kicked");
            kicked.awaitClosedByServer();
        }
        assertThat(a.admin().post("/actuator/principals/dev-6", "{\"message\":\"later\",\"ttl\":\"PT1H\"}").status())
                .isEqualTo(202);
        assertThat(b.admin().delete("/actuator/principals/dev-6").status()).isEqualTo(204);
        assertThat(c.admin().get("/actuator/principals/dev-6").status()).isEqualTo(404);
        assertThat(redis.integer("EXISTS tcp-gateway:queue:dev-6")).isZero();
    }

    @Test
    void aHolderLeftBehindByAPodThatIsGoneRefusesNobody() {
        // As a pod that crashed holding dev-6 would leave it: its node key is not there (or holds another incarnation).
        redis.integer("HSET tcp-gateway:holders:refuse:dev-6 c1.node-x node-x|0f1e2d");
        redis.integer("HSET tcp-gateway:holders:refuse:dev-6 c2.node-a stale-incarnation-of-a"); // not even well formed
        TcpTestClient first = login(b, "refuse", "dev-6");
        first.sendLine("let in");
        assertThat(first.readLine()).isEqualTo("let in");
        assertThat(redis.integer("HLEN tcp-gateway:holders:refuse:dev-6")).isEqualTo(1); // the stale ones are gone
        // and the live one counts: a second login elsewhere is refused
        TcpTestClient second = connect(c, "refuse");
        second.sendLine("AUTH " + token("dev-6"));
        assertThat(second.readLine()).isEqualTo("ERROR already connected");
        first.close();
        await().until(() -> redis.integer("HLEN tcp-gateway:holders:refuse:dev-6") == 0); // released when it closed
    }

    @Test
    void whileRedisIsAwayQueueingIsRefusedLoginsGoOnAndHoldersAreReleasedWhenItIsBack() {
        TcpTestClient holder = login(a, "refuse", "dev-1");
        String id = a.idOf(holder);
        assertThat(redis.integer("HEXISTS tcp-gateway:holders:refuse:dev-1 " + id)).isEqualTo(1);
        redis.stop();
        try {
            holder.close();
            await().until(() -> a.registry().ofPrincipal("dev-1").isEmpty()); // its release was refused meanwhile
            // Meanwhile a message that must be queued is refused with the reason, never lost silently; a login
            // still gets in (decided on its pod, without its queue)
            Response unqueued = b.admin().post("/actuator/principals/dev-5", "{\"message\":\"later\",\"ttl\":\"PT1H\"}");
            assertThat(unqueued.status()).as(unqueued.body()).isEqualTo(503);
            assertThat(unqueued.contentType()).startsWith("application/problem+json");
            assertThat(unqueued.json().at("/detail").asString()).contains("could not be queued");
            assertThat(b.admin().get("/actuator/principals/dev-5").status()).isEqualTo(503);
            TcpTestClient meanwhile = login(c, "refuse", "dev-5");
            meanwhile.sendLine("in without Redis");
            assertThat(meanwhile.readLine()).isEqualTo("in without Redis");
            meanwhile.close();
        }
        finally {
            redis.restart();
        }
        // As Redis would still hold it after a failover or with persistence:
        redis.integer("HSET tcp-gateway:holders:refuse:dev-1 " + id + " " + "node-a|kept");
        await().atMost(Duration.ofSeconds(20)).until(() -> redis.integer("HLEN tcp-gateway:holders:refuse:dev-1") == 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> redis.subscribers("tcp-gateway:admin") == 3);
    }

    private TcpTestClient login(ClusterNode node, String listener, String device) {
        TcpTestClient client = connect(node, listener);
        client.sendLine("AUTH " + token(device));
        assertThat(client.readLine()).isEqualTo("OK");
        return client;
    }

    private TcpTestClient connect(ClusterNode node, String listener) {
        TcpTestClient client = node.connect(listener);
        clients.add(client);
        return client;
    }
}
