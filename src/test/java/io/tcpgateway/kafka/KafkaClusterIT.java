package io.tcpgateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.support.ClusterNode;
import io.tcpgateway.support.Closing;
import io.tcpgateway.support.TcpTestClient;
import io.tcpgateway.support.TestCertificates;
import io.tcpgateway.support.TestKafka;
import io.tcpgateway.support.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * CONTRACT section 15 across two pods joined through Redis, against a real Kafka broker: records of the commands
 * topic reach a principal on whichever pod holds it (or its offline queue with {@code gateway-ttl}), each handled
 * once by the pods' one consumer group, refusals counted without blocking what follows; and the events topic
 * tells a connection's life.
 */
class KafkaClusterIT {

    static final List<String> DEVICES = List.of("dev-1", "dev-2", "dev-3");

    static TestRedis redis;
    static TestKafka kafka;
    static ClusterNode a;
    static ClusterNode b;

    @BeforeAll
    static void twoGatewaysOneRedisOneKafka() {
        redis = TestRedis.start();
        kafka = TestKafka.start();
        kafka.createTopic("it.commands", 2, Map.of());
        kafka.createTopic("it.events", 1, Map.of());
        a = start("node-a");
        b = start("node-b");
    }

    static ClusterNode start(String node) {
        List<String> properties = new ArrayList<>(List.of(
                "gateway.listeners[2].name=devices", "gateway.listeners[2].port=0", "gateway.listeners[2].auth=token",
                "gateway.kafka.enabled=true", "spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "gateway.kafka.events-topic=it.events", "gateway.kafka.commands-topic=it.commands"));
        DEVICES.forEach((device) -> properties.add("gateway.auth.tokens." + device + "=" + TestCertificates.sha256Hex(token(device))));
        return ClusterNode.start(node, redis.port(), properties.toArray(String[]::new));
    }

    static String token(String device) {
        return "token-of-" + device;
    }

    @AfterAll
    static void stopAll() {
        Closing.all(a, b, kafka, redis);
    }

    static TcpTestClient login(ClusterNode node, String device) {
        TcpTestClient client = node.connect("devices");
        client.sendLine("AUTH " + token(device));
        assertThat(client.readLine()).isEqualTo("OK");
        return client;
    }

    static double commands(String result) {
        return a.counterOf("gateway.kafka.commands", result) + b.counterOf("gateway.kafka.commands", result);
    }

    @Test
    void commandsReachAPrincipalOnEitherPodOrItsQueueOnceEachAndARefusalBlocksNothing() {
        try (TcpTestClient online = login(b, "dev-1")) {
            kafka.send("it.commands", "dev-1", "hello", Map.of());
            assertThat(online.readLine()).isEqualTo("hello");
            await().until(() -> commands("delivered") == 1);

            kafka.send("it.commands", "dev-2", "kept for you", Map.of("gateway-ttl", "1h", "gateway-listener", "devices"));
            await().until(() -> commands("queued") == 1);
            try (TcpTestClient later = login(a, "dev-2")) {
                assertThat(later.readLine()).as("queued by a command, right after OK").isEqualTo("kept for you");
            }

            kafka.send("it.commands", "ghost", "nobody", Map.of());
            kafka.send("it.commands", "dev-1", "two\nlines", Map.of());
            kafka.send("it.commands", "dev-1", "too long ttl", Map.of("gateway-ttl", "3d"));
            kafka.send("it.commands", "dev-1", "after the refusals", Map.of());
            assertThat(online.readLine()).as("refusals do not hold the partition").isEqualTo("after the refusals");
            await().untilAsserted(() -> {
                assertThat(commands("unknown")).isEqualTo(1);
                assertThat(commands("invalid")).isEqualTo(2);
                assertThat(commands("delivered")).as("each command once, by one pod").isEqualTo(2);
            });
            assertThat(online.readLineIfAny()).as("nothing twice").isNull();
        }
    }

    @Test
    void theEventsTopicTellsAConnectionsLifeKeyedLikeItsFrames() throws Exception {
        String id;
        Instant before = Instant.now();
        try (TcpTestClient device = login(b, "dev-3")) {
            id = b.idOf(device);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> events(id).size() == 3);
        List<ConsumerRecord<String, byte[]>> records = events(id);
        JsonMapper json = JsonMapper.builder().build();
        List<JsonNode> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            events.add(json.readTree(record.value()));
        }
        assertThat(events).extracting((event) -> event.get("type").asString()).containsExactly("connected", "authenticated", "closed");
        assertThat(records.get(0).key()).as("before its login: the connection id").isEqualTo(id);
        assertThat(records.get(1).key()).as("after: the principal").isEqualTo("dev-3");
        assertThat(records.get(2).key()).isEqualTo("dev-3");
        assertThat(events.get(0).get("principal").isNull()).isTrue();
        assertThat(events).allSatisfy((event) -> {
            assertThat(event.get("listener").asString()).isEqualTo("devices");
            assertThat(event.get("pod").asString()).isEqualTo("node-b");
            assertThat(event.get("remoteAddress").asString()).isEqualTo("127.0.0.1");
            assertThat(Instant.parse(event.get("at").asString())).isAfterOrEqualTo(before.minusSeconds(1));
        });
        assertThat(events.get(2).get("principal").asString()).isEqualTo("dev-3");
        assertThat(events.get(2).get("reason").asString()).isEqualTo("peer");
    }

    static List<ConsumerRecord<String, byte[]>> events(String connection) {
        return kafka.records("it.events").stream()
                .filter((record) -> new String(record.value(), StandardCharsets.UTF_8).contains("\"connection\":\"" + connection + "\""))
                .toList();
    }
}
