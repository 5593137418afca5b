package io.tcpgateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.tcpgateway.connection.ClosedPeer;
import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.listener.ListenerRegistrar;
import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.TcpTestClient;
import io.tcpgateway.support.TestCertificates;
import io.tcpgateway.support.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import io.tcpgateway.support.AdminClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * CONTRACT section 15 on one pod against a real Kafka broker (a child process the tests stop and start):
 * frames of forward listeners in Kafka in order with their key and headers, ACKs that match what a consumer
 * reads, a broker away for ten seconds under load (nothing lost, nothing closed, the heartbeat not fooled by the
 * pause), a frame the topic refuses, and the principal as the key.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.admin.password=test-secret",
        "gateway.heartbeat.interval=1s", "gateway.heartbeat.timeout=3s",
        "gateway.kafka.enabled=true", "gateway.kafka.frames-topic=it.frames", "gateway.kafka.events-topic=",
        "gateway.kafka.max-in-flight-bytes=64KB", "gateway.kafka.max-in-flight-bytes-per-connection=4KB",
        "gateway.listeners[0].name=devices", "gateway.listeners[0].port=0", "gateway.listeners[0].mode=forward",
        "gateway.listeners[0].forward-acks=true",
        "gateway.listeners[1].name=small", "gateway.listeners[1].port=0", "gateway.listeners[1].mode=forward",
        "gateway.listeners[1].forward-acks=true", "gateway.listeners[1].forward-topic=it.small",
        "gateway.listeners[2].name=secure", "gateway.listeners[2].port=0", "gateway.listeners[2].mode=forward",
        "gateway.listeners[2].forward-topic=it.secure", "gateway.listeners[2].auth=token" })
class KafkaForwardIT {

    static TestKafka kafka;

    @Autowired
    ListenerRegistrar registrar;

    @Autowired
    PeerRegistry registry;

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int managementPort;

    final List<ForwardingClient> clients = new ArrayList<>();

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry properties) throws Exception {
        kafka = TestKafka.start();
        kafka.createTopic("it.frames", 3, Map.of());
        // Above the producer's batch.size (16 KB): a topic that takes less than one batch would make the producer
        // split batches forever (see docs/behaviour.md, "Kafka").
        kafka.createTopic("it.small", 1, Map.of("max.message.bytes", "20000"));
        kafka.createTopic("it.secure", 1, Map.of());
        properties.add("spring.kafka.bootstrap-servers", kafka::bootstrapServers);
        properties.add("gateway.auth.tokens.meter-7", () -> TestCertificates.sha256Hex("token-7"));
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(ForwardingClient::close);
        await().until(() -> registry.size() == 0);
    }

    ForwardingClient client(String name, String listener) {
        ForwardingClient client = new ForwardingClient(name, GatewayPorts.of(registrar, listener));
        clients.add(client);
        return client;
    }

    @Test
    void tenThousandFramesFromTwentyConnectionsArriveInOrderWithKeyAndHeadersAndTheAcksMatch() throws Exception {
        List<ForwardingClient> twenty = IntStream.range(0, 20).mapToObj((i) -> client("burst" + i, "devices")).toList();
        List<Thread> senders = twenty.stream().map((client) -> Thread.ofVirtual().start(() -> client.send(500))).toList();
        for (Thread sender : senders) {
            sender.join();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(twenty).allSatisfy((client) -> assertThat(client.acked()).as(client.name()).isEqualTo(500)));

        Map<String, List<ConsumerRecord<String, byte[]>>> byConnection = byConnection(kafka.records("it.frames"), "burst");
        assertThat(byConnection).hasSize(20);
        for (List<ConsumerRecord<String, byte[]>> records : byConnection.values()) {
            String first = value(records.get(0));
            String name = first.substring(0, first.lastIndexOf('-'));
            ForwardingClient client = twenty.stream().filter((c) -> c.name().equals(name)).findFirst().orElseThrow();
            assertThat(records).as("records of %s", name).hasSize((int) client.acked());
            for (int n = 1; n <= records.size(); n++) {
                ConsumerRecord<String, byte[]> record = records.get(n - 1);
                assertThat(value(record)).isEqualTo(client.frame(n));
                String connection = header(record, "gateway-connection");
                assertThat(record.key()).as("no principal: the connection id is the key").isEqualTo(connection);
                assertThat(header(record, "gateway-listener")).isEqualTo("devices");
                assertThat(header(record, "gateway-remote-address")).isEqualTo("127.0.0.1");
                assertThat(header(record, "gateway-pod")).isNotBlank();
                assertThat(Instant.parse(header(record, "gateway-received-at"))).isBefore(Instant.now());
                assertThat(record.headers().lastHeader("gateway-principal")).isNull();
            }
            client.assertNoProblems();
        }
        assertThat(meters.get("gateway.kafka.forwarded").tag("listener", "devices").counter().count()).isGreaterThanOrEqualTo(10_000);
    }

    @Test
    void withKafkaAwayForTenSecondsNothingIsLostNoConnectionClosesAndAcksResumeInOrder() throws Exception {
        List<ForwardingClient> five = IntStream.range(0, 5).mapToObj((i) -> client("outage" + i, "devices")).toList();
        five.forEach((client) -> client.keepSending(2));
        await().until(() -> five.stream().allMatch((client) -> client.acked() > 100));

        kafka.stop();
        try {
            // The broker is gone for ten seconds; all the while the clients keep sending, their readers are paused
            // (frames in flight fill their 4 KB), and the heartbeat (3 s timeout) must not take that for silence.
            await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(12)).until(() ->
                    five.stream().noneMatch(ForwardingClient::closedByServer));
            assertThat(meters.get("gateway.kafka.forward.paused").gauge().value()).as("readers paused for Kafka").isPositive();
            AdminClient admin = AdminClient.as(managementPort, "admin", "test-secret");
            JsonNode kafkaHealth = admin.get("/actuator/health/kafka").json();
            assertThat(kafkaHealth.at("/status").asString()).isEqualTo("DOWN");
            assertThat(kafkaHealth.at("/details/pausedConnections").asInt()).isPositive();
            assertThat(AdminClient.anonymous(managementPort).get("/actuator/health/readiness").status())
                    .as("Kafka away is not a reason to take the pod out of the Service").isEqualTo(200);
        }
        finally {
            kafka.restart();
        }
        long ackedWhenBack = five.stream().mapToLong(ForwardingClient::acked).sum();
        await().atMost(Duration.ofSeconds(60)).until(() -> five.stream().mapToLong(ForwardingClient::acked).sum() > ackedWhenBack + 500);
        for (ForwardingClient client : five) {
            client.stopSending();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(five).allSatisfy((client) -> assertThat(client.acked()).as(client.name()).isEqualTo(client.sent())));
        assertThat(five).noneMatch(ForwardingClient::closedByServer);
        await().until(() -> meters.get("gateway.kafka.forward.paused").gauge().value() == 0);

        Map<String, List<ConsumerRecord<String, byte[]>>> byConnection = byConnection(kafka.records("it.frames"), "outage");
        assertThat(byConnection).hasSize(5);
        for (ForwardingClient client : five) {
            List<String> values = byConnection.values().stream().filter((records) -> value(records.get(0)).startsWith(client.name() + "-"))
                    .findFirst().orElseThrow().stream().map(KafkaForwardIT::value).toList();
            assertThat(values).as("every frame of %s, once, in order", client.name())
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, (int) client.sent()).mapToObj(client::frame).toList());
            client.assertNoProblems();
            assertThat(client.others()).as("nothing but ACKs and PINGs").isEmpty();
        }
    }

    @Test
    void aFrameTheTopicRefusesClosesOnlyItsConnectionWithForwardFailed() throws Exception {
        ForwardingClient big = client("big", "small");
        ForwardingClient neighbour = client("neighbour", "small");
        big.send(1);
        await().until(() -> big.acked() == 1);
        neighbour.keepSending(1);
        big.client().sendLine("x".repeat(30_000)); // under max-frame-bytes, over the topic's max.message.bytes (20000)
        await().atMost(Duration.ofSeconds(30)).until(big::closedByServer);
        assertThat(big.others()).containsExactly("ERROR forward failed");
        assertThat(big.acked()).isEqualTo(1);
        ClosedPeer closed = registry.closed().stream().filter((peer) -> peer.reason() == io.tcpgateway.connection.CloseReason.FORWARD_FAILED).findFirst().orElseThrow();
        assertThat(closed.listener()).isEqualTo("small");
        assertThat(meters.get("gateway.kafka.forward.failures").tag("listener", "small").counter().count()).isEqualTo(1);

        long ackedThen = neighbour.acked();
        await().until(() -> neighbour.acked() > ackedThen + 100);
        neighbour.stopSending();
        await().until(() -> neighbour.acked() == neighbour.sent());
        assertThat(neighbour.closedByServer()).isFalse();
        neighbour.assertNoProblems();
    }

    @Test
    void onAnAuthListenerTheFramesFollowTheLoginAndThePrincipalIsTheKey() {
        TcpTestClient device = TcpTestClient.connect(GatewayPorts.of(registrar, "secure"));
        try {
            device.sendLine("AUTH token-7");
            assertThat(device.readLine()).isEqualTo("OK");
            device.sendLine("reading 1").sendLine("PING");
            assertThat(device.readLine()).as("control frames are answered, not forwarded").isEqualTo("PONG");
            device.sendLine("reading 2");
            await().atMost(Duration.ofSeconds(30)).until(() -> kafka.records("it.secure").size() >= 2);
            List<ConsumerRecord<String, byte[]>> records = kafka.records("it.secure");
            assertThat(records).extracting(KafkaForwardIT::value).containsExactly("reading 1", "reading 2");
            assertThat(records).allSatisfy((record) -> {
                assertThat(record.key()).isEqualTo("meter-7");
                assertThat(header(record, "gateway-principal")).isEqualTo("meter-7");
                assertThat(header(record, "gateway-listener")).isEqualTo("secure");
            });
        }
        finally {
            device.close();
        }
    }

    @Test
    void theKafkaHealthComponentReportsTheClusterAndIsNotPartOfReadiness() {
        JsonNode health = AdminClient.as(managementPort, "admin", "test-secret").get("/actuator/health").json();
        assertThat(health.at("/components/kafka/status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/kafka/details/brokers").asInt()).isEqualTo(1);
        assertThat(health.at("/components/kafka/details/clusterId").asString()).isNotBlank();
        JsonNode readiness = AdminClient.anonymous(managementPort).get("/actuator/health/readiness").json();
        assertThat(readiness.at("/components/kafka").isMissingNode()).isTrue();
    }

    @Test
    void aSilentClientOfAForwardListenerIsStillClosedByTheHeartbeat() {
        TcpTestClient silent = TcpTestClient.connect(GatewayPorts.of(registrar, "devices"));
        try {
            assertThat(silent.readLine()).isEqualTo("PING");
            assertThat(silent.readLine()).isEqualTo("PING");
            assertThat(silent.readLine()).isEqualTo("ERROR heartbeat timeout");
        }
        finally {
            silent.close();
        }
    }

    /** Records of connections whose first frame starts with {@code prefix}, grouped by connection, in offset order. */
    static Map<String, List<ConsumerRecord<String, byte[]>>> byConnection(List<ConsumerRecord<String, byte[]>> records, String prefix) {
        Map<String, List<ConsumerRecord<String, byte[]>>> grouped = new LinkedHashMap<>();
        records.stream().filter((record) -> value(record).startsWith(prefix))
                .forEach((record) -> grouped.computeIfAbsent(header(record, "gateway-connection"), (id) -> new ArrayList<>()).add(record));
        return grouped;
    }

    static String value(ConsumerRecord<String, byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header " + name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
