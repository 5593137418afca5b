package io.tcpgateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.support.AdminClient.Response;
import io.tcpgateway.support.ClusterNode;
import io.tcpgateway.support.Closing;
import io.tcpgateway.support.CuttableLink;
import io.tcpgateway.support.TcpTestClient;
import io.tcpgateway.support.TestCertificates;
import io.tcpgateway.support.TestRedis;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT section 10: a pod that was cut off from Redis re-reads what it missed when it is back. Two real
 * gateways and a real redis-server; pod B reaches Redis through a link the test cuts and mends, pod A directly.
 * While B is cut off: bans made and lifted on A, a ban made on B, a message for a principal logged in on B (A
 * cannot find it, so it is queued in Redis). Once the link is mended, each reaches the pod that missed it.
 */
class ClusterResyncIT {

    static TestRedis redis;
    static CuttableLink linkOfB;
    static ClusterNode a;
    static ClusterNode b;

    @BeforeAll
    static void twoPodsOneCuttable() {
        redis = TestRedis.start();
        linkOfB = CuttableLink.to(redis.port());
        a = start("node-a", redis.port());
        b = start("node-b", linkOfB.port());
        await().atMost(Duration.ofSeconds(30)).until(() -> redis.subscribers("tcp-gateway:admin") == 2);
    }

    static ClusterNode start(String node, int redisPort) {
        return ClusterNode.start(node, redisPort, "gateway.listeners[2].name=devices", "gateway.listeners[2].port=0",
                "gateway.listeners[2].auth=token",
                "gateway.auth.tokens.dev-9=" + TestCertificates.sha256Hex("token-of-dev-9"));
    }

    @AfterAll
    static void stopAll() {
        Closing.all(a, b, linkOfB, redis);
    }

    @Test
    void aPodCutOffFromRedisCatchesUpOnBansAndQueuedMessagesWhenItIsBack() {
        assertThat(a.admin().post("/actuator/bans", "{\"address\":\"127.0.31.2\",\"duration\":\"PT10M\"}").status())
                .isEqualTo(201);
        await().until(() -> b.refusesAsBanned("127.0.31.2")); // heard by B while connected: it is lifted while B is away

        TcpTestClient device = b.connect("devices");
        device.sendLine("AUTH token-of-dev-9");
        assertThat(device.readLine()).isEqualTo("OK");

        linkOfB.cut();
        await().until(() -> b.admin().get("/actuator/health").json().at("/components/cluster/status").asString().equals("DOWN"));

        assertThat(a.admin().post("/actuator/bans", "{\"address\":\"127.0.31.1\",\"duration\":\"PT10M\"}").status())
                .isEqualTo(201);
        assertThat(a.admin().delete("/actuator/bans/127.0.31.2").status()).isEqualTo(204);
        assertThat(b.admin().post("/actuator/bans", "{\"address\":\"127.0.31.3\",\"duration\":\"PT10M\"}").status())
                .as("made on the pod that is cut off: it holds there at once").isEqualTo(201);
        Response queued = a.admin().post("/actuator/principals/dev-9", "{\"message\":\"while you were away\",\"ttl\":\"PT10M\"}");
        assertThat(queued.status()).as("no pod A can reach holds dev-9: " + queued.body()).isEqualTo(202);
        assertThat(b.refusesAsBanned("127.0.31.1")).as("B cannot have heard of it yet").isFalse();
        assertThat(a.refusesAsBanned("127.0.31.3")).isFalse();

        linkOfB.mend();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(b.refusesAsBanned("127.0.31.1")).as("banned on A while B was away").isTrue();
            assertThat(b.refusesAsBanned("127.0.31.2")).as("lifted on A while B was away").isFalse();
            assertThat(a.refusesAsBanned("127.0.31.3")).as("banned on B while it was away").isTrue();
        });
        assertThat(device.readLine()).as("queued on A while B could not say it held dev-9").isEqualTo("while you were away");
        assertThat(a.admin().get("/actuator/principals/dev-9").json().at("/queued").asInt()).isZero();
        device.close();
    }
}
