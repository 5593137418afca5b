package io.tcpgateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.support.AdminClient.Response;
import io.tcpgateway.support.ClusterNode;
import io.tcpgateway.support.SentinelRedis;
import io.tcpgateway.support.TcpTestClient;
import io.tcpgateway.support.TestCertificates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT section 10, Redis through Sentinel: Debian's redis-sentinel with a master and one replica, two real
 * gateways configured with {@code spring.data.redis.sentinel.*} only. The master is killed; once the sentinel has
 * promoted the replica, broadcasts cross the pods again, an admin call on one pod reaches a connection on the
 * other, a ban made while the pods were cut off reaches the pod that did not make it, and a message queued for an
 * offline principal before the failover is delivered when it logs in.
 */
class SentinelFailoverIT {

    @Test
    void afterTheSentinelPromotesTheReplicaThePodsWorkTogetherAgainAndMissNothing() {
        try (SentinelRedis redis = SentinelRedis.start();
                ClusterNode a = start("node-a", redis);
                ClusterNode b = start("node-b", redis)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> redis.subscribers("tcp-gateway:admin") == 2);
            List<TcpTestClient> clients = new ArrayList<>();
            try {
                TcpTestClient receiver = b.connect("chat");
                TcpTestClient sender = a.connect("chat");
                clients.add(receiver);
                clients.add(sender);
                String receiverId = b.idOf(receiver);
                awaitCrossing(sender, receiver, "before", Duration.ofSeconds(30));

                Response queued = a.admin().post("/actuator/principals/dev-8", "{\"message\":\"queued before the failover\",\"ttl\":\"PT10M\"}");
                assertThat(queued.status()).as(queued.body()).isEqualTo(202);
                await().until(() -> redis.replicaHas("tcp-gateway:queue:dev-8"));

                redis.killMaster();
                assertThat(a.admin().post("/actuator/bans", "{\"address\":\"127.0.32.1\",\"duration\":\"PT10M\"}").status())
                        .as("made while no pod reaches Redis: it holds on A at once").isEqualTo(201);
                redis.awaitPromotion();
                long promoted = System.nanoTime();

                awaitCrossing(sender, receiver, "after", Duration.ofSeconds(15)); // "within seconds of the promotion"
                System.out.printf("SentinelFailoverIT: broadcasts crossed again %d ms after the promotion%n",
                        (System.nanoTime() - promoted) / 1_000_000);
                await().atMost(Duration.ofSeconds(20)).until(() -> a.admin().get("/actuator/connections/" + receiverId)
                        .status() == 200);
                Response sent = a.admin().post("/actuator/connections/" + receiverId, "{\"message\":\"via A\"}");
                assertThat(sent.status()).as(sent.body()).isEqualTo(204);
                String line = receiver.readLine();
                while (line.startsWith("after ")) { // the rest of the frames sent while awaiting the crossing
                    line = receiver.readLine();
                }
                assertThat(line).isEqualTo("via A");
                await().atMost(Duration.ofSeconds(20)).until(() -> b.refusesAsBanned("127.0.32.1"));
                assertThat(b.refusesAsBanned("127.0.32.2")).isFalse();

                TcpTestClient device = b.connect("devices");
                clients.add(device);
                device.sendLine("AUTH token-of-dev-8");
                assertThat(device.readLine()).isEqualTo("OK");
                assertThat(device.readLine()).isEqualTo("queued before the failover");
            }
            finally {
                clients.forEach(TcpTestClient::close);
            }
        }
    }

    static ClusterNode start(String node, SentinelRedis redis) {
        List<String> properties = new ArrayList<>(List.of(redis.gatewayProperties()));
        properties.addAll(List.of("gateway.listeners[2].name=devices", "gateway.listeners[2].port=0",
                "gateway.listeners[2].auth=token", "gateway.auth.tokens.dev-8=" + TestCertificates.sha256Hex("token-of-dev-8")));
        return ClusterNode.start(node, 1, properties.toArray(String[]::new)); // port 1: unused, Sentinel names the master
    }

    /**
     * Sends numbered frames from A until B's receiver has one: each is either lost (while Redis is away; broadcast
     * is live) or delivered, in order.
     */
    private static void awaitCrossing(TcpTestClient sender, TcpTestClient receiver, String label, Duration within) {
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger lastSeen = new AtomicInteger(-1);
        await().atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> {
            sender.sendLine(label + " " + sent.getAndIncrement());
            String line;
            while ((line = receiver.readLineIfAny()) != null) {
                if (line.startsWith(label + " ")) {
                    int number = Integer.parseInt(line.substring(label.length() + 1));
                    assertThat(number).as("in order").isGreaterThan(lastSeen.get());
                    lastSeen.set(number);
                }
            }
            return lastSeen.get() >= 0;
        });
    }
}
