package io.tcpgateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.support.ClusterNode;
import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.TcpTestClient;
import io.tcpgateway.support.TestRedis;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A pod whose Redis is not there when it starts: it starts, serves its own peers, and joins once Redis comes. */
class RedisAbsentAtStartIT {

    @Test
    void aPodStartsAndServesWithoutRedisAndJoinsWhenRedisArrives() {
        int redisPort = GatewayPorts.free(); // nothing listens here yet
        try (ClusterNode node = ClusterNode.start("lonely", redisPort);
                TcpTestClient one = node.connect("chat");
                TcpTestClient two = node.connect("chat")) {
            node.idOf(one);
            node.idOf(two);
            one.sendLine("anyone?");
            assertThat(two.readLine()).isEqualTo("anyone?");
            JsonNode health = node.admin().get("/actuator/health").json();
            assertThat(health.at("/components/cluster/status").asString()).isEqualTo("DOWN");
            assertThat(node.admin().get("/actuator/health/readiness").json().at("/status").asString()).isEqualTo("UP");
            await().untilAsserted(() -> assertThat(node.counter("gateway.cluster.publish.failures", "chat")).isEqualTo(1));

            try (TestRedis redis = TestRedis.startOn(redisPort)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> redis.subscribers("tcp-gateway:bursts:chat") == 1);
                await().untilAsserted(() -> assertThat(node.admin().get("/actuator/health").json()
                        .at("/components/cluster/status").asString()).isEqualTo("UP"));
                await().untilAsserted(() -> {
                    one.sendLine("now published");
                    assertThat(two.readLine()).isEqualTo("now published");
                    assertThat(node.counter("gateway.cluster.frames.published", "chat")).isPositive();
                });
            }
        }
    }
}
