package io.tcpgateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tcpgateway.support.GatewayConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.BindException;

/**
 * CONTRACT section 8: a bad gateway.* value stops start-up with a report naming the property and
 * the value. Bound in-process exactly as start-up binds (see {@link GatewayConfig}); ConfigurationErrorsIT
 * checks the report of a real start-up, and ProcessLifecycleIT the process's non-zero exit status.
 */
class ConfigurationErrorsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            port out of range     | gateway.listeners[0].port=70000                                      | gateway.listeners[0].port     | 70000
            negative port         | gateway.listeners[0].port=-1                                         | gateway.listeners[0].port     | -1
            missing port          | gateway.listeners[1].name=extra                                      | gateway.listeners[1].port     | null
            bad name              | gateway.listeners[0].name=Chat Room                                  | gateway.listeners[0].name     | Chat Room
            duplicate name        | gateway.listeners[1].name=chat,gateway.listeners[1].port=0           | gateway.listeners[1].name     | chat
            duplicate port        | gateway.listeners[0].port=9123,gateway.listeners[1].name=b,gateway.listeners[1].port=9123 | gateway.listeners[1].port | 9123
            unknown mode          | gateway.listeners[0].mode=shout                                      | gateway.listeners[0].mode     | shout
            unknown framing       | gateway.listeners[0].framing=json                                    | gateway.listeners[0].framing  | json
            zero max frame        | gateway.listeners[0].max-frame-bytes=0                               | gateway.listeners[0].max-frame-bytes | 0
            zero max connections  | gateway.listeners[0].max-connections=0                               | gateway.listeners[0].max-connections | 0
            blank bind address    | gateway.listeners[0].bind-address=                                   | gateway.listeners[0].bind-address | ""
            zero pending bytes    | gateway.outbound.max-pending-bytes=0                                 | gateway.outbound.max-pending-bytes | 0
            frame over backlog    | gateway.outbound.max-pending-bytes=64KB,gateway.listeners[0].max-frame-bytes=70000 | gateway.listeners[0].max-frame-bytes | 70000
            negative stall        | gateway.outbound.max-stall=-1s                                       | gateway.outbound.max-stall    | -1
            timeout not above     | gateway.heartbeat.interval=30s,gateway.heartbeat.timeout=20s         | gateway.heartbeat.timeout     | (30s)
            node id with a slash  | gateway.cluster.enabled=true,gateway.cluster.node-id=pod/1           | gateway.cluster.node-id       | pod/1
            zero pending frames   | gateway.cluster.max-pending-frames=0                                 | gateway.cluster.max-pending-frames | 0
            typo in a section     | gateway.heartbeat.intervall=5s                                       | gateway.heartbeat.intervall   | 5s
            typo in a listener    | gateway.listeners[0].max-conections=5                                | gateway.listeners[0].max-conections | 5
            unknown section       | gateway.limits.max=5                                                 | gateway.limits.max            | 5
            negative grace period | gateway.shutdown.grace-period=-1s                                    | gateway.shutdown.grace-period | -1
            negative evict rate   | gateway.shutdown.evict-rate=-5                                       | gateway.shutdown.evict-rate   | -5
            zero flapping window  | gateway.flapping.window=0s                                           | gateway.flapping.window       | 0
            zero ban time         | gateway.flapping.ban-time=0s                                         | gateway.flapping.ban-time     | 0
            unknown auth          | gateway.listeners[0].auth=password                                   | gateway.listeners[0].auth     | password
            client-cert, no TLS   | gateway.listeners[0].auth=client-cert                                | gateway.listeners[0].auth     | needs an ssl-bundle
            token, no tokens      | gateway.listeners[0].auth=token                                      | gateway.listeners[0].auth     | gateway.auth.tokens.<name>
            a token, not its hash | gateway.auth.tokens.device=plain-secret                              | gateway.auth.tokens           | sha256sum
            zero auth timeout     | gateway.auth.timeout=0s                                              | gateway.auth.timeout          | 0
            negative frame rate   | gateway.listeners[0].max-frames-per-second=-1                        | gateway.listeners[0].max-frames-per-second | -1
            burst without a rate  | gateway.listeners[0].max-frames-burst=5                              | gateway.listeners[0].max-frames-burst | 5
            budget over the heap  | gateway.inbound.max-buffered-bytes=100TB                             | gateway.inbound.max-buffered-bytes | more than half of this JVM's heap
            budget under a frame  | gateway.inbound.max-buffered-bytes=1KB,gateway.listeners[0].max-frame-bytes=2048 | gateway.inbound.max-buffered-bytes | gateway.listeners[0].max-frame-bytes (2048)
            zero frame timeout    | gateway.inbound.frame-timeout=0s                                     | gateway.inbound.frame-timeout | 0
            zero write deadline   | gateway.outbound.write-deadline=0s                                   | gateway.outbound.write-deadline | 0
            tiny flapping table   | gateway.flapping.max-tracked=5                                       | gateway.flapping.max-tracked  | 5
            duplicates, no auth   | gateway.listeners[0].duplicate-principal=replace                     | gateway.listeners[0].duplicate-principal | needs auth
            unknown duplicates    | gateway.listeners[0].duplicate-principal=kick                        | gateway.listeners[0].duplicate-principal | kick
            zero queue messages   | gateway.principals.queue.max-messages=0                              | gateway.principals.queue.max-messages | 0
            zero queue bytes      | gateway.principals.queue.max-bytes=0                                 | gateway.principals.queue.max-bytes | 0
            zero queue ttl        | gateway.principals.queue.max-ttl=0s                                  | gateway.principals.queue.max-ttl | 0
            queues over the heap  | gateway.principals.queue.max-total-bytes=100TB                       | gateway.principals.queue.max-total-bytes | a quarter of this JVM's heap
            forward, Kafka off    | gateway.listeners[0].mode=forward                                    | gateway.listeners[0].mode     | gateway.kafka.enabled=true
            topic, not forwarding | gateway.listeners[0].forward-topic=readings                          | gateway.listeners[0].forward-topic | applies only to mode: forward
            acks, not forwarding  | gateway.listeners[0].forward-acks=true                               | gateway.listeners[0].forward-acks | applies only to mode: forward
            bad forward topic     | gateway.kafka.enabled=true,gateway.listeners[0].mode=forward,gateway.listeners[0].forward-topic=my topic | gateway.listeners[0].forward-topic | my topic
            bad frames topic      | gateway.kafka.frames-topic=a/b                                       | gateway.kafka.frames-topic    | a/b
            bad commands topic    | gateway.kafka.commands-topic=..                                      | gateway.kafka.commands-topic  | ..
            zero in flight        | gateway.kafka.max-in-flight-bytes=0                                  | gateway.kafka.max-in-flight-bytes | 0
            connection over all   | gateway.kafka.max-in-flight-bytes=1MB,gateway.kafka.max-in-flight-bytes-per-connection=2MB | gateway.kafka.max-in-flight-bytes-per-connection | at most gateway.kafka.max-in-flight-bytes
            zero pending events   | gateway.kafka.max-pending-events=0                                   | gateway.kafka.max-pending-events | 0
            empty interval        | gateway.heartbeat.interval=                                          | gateway.heartbeat.interval    | null
            empty ping            | gateway.heartbeat.ping=                                              | gateway.heartbeat.ping        | must not be empty
            empty drain timeout   | gateway.shutdown.drain-timeout=                                      | gateway.shutdown.drain-timeout | null
            empty listener mode   | gateway.listeners[0].mode=                                           | gateway.listeners[0].mode     | null
            empty pending bytes   | gateway.outbound.max-pending-bytes=                                  | gateway.outbound.max-pending-bytes | null
            blank admin user      | gateway.admin.username=                                              | gateway.admin.username        | must not be blank
            zero login failures   | gateway.admin.max-login-failures=0                                   | gateway.admin.max-login-failures | 0
            negative history      | gateway.admin.closed-history=-1                                      | gateway.admin.closed-history  | -1
            zero flapping count   | gateway.flapping.max-count=0                                         | gateway.flapping.max-count    | 0
            zero auth failures    | gateway.flapping.max-auth-failures=0                                 | gateway.flapping.max-auth-failures | 0
            empty queue ttl       | gateway.principals.queue.max-ttl=                                    | gateway.principals.queue.max-ttl | null
            """)
    void aBadValueIsRefusedNamingThePropertyAndTheValue(String title, String overrides, String property, String value) {
        Map<String, String> properties = new LinkedHashMap<>(Map.of(
                "gateway.listeners[0].name", "chat", "gateway.listeners[0].port", "0"));
        for (String override : overrides.split(",")) {
            properties.put(override.substring(0, override.indexOf('=')), override.substring(override.indexOf('=') + 1));
        }
        BindException failure = catchThrowableOfType(BindException.class, () -> GatewayConfig.bindWithDefaults(properties));
        assertThat(failure).as("refused").isNotNull();
        String report = GatewayConfig.describe(failure);
        assertThat(report).contains(property);
        if (!value.equals("null")) {
            assertThat(report).contains(value.equals("\"\"") ? "" : value);
        }
    }

    @Test
    void anUnknownFramingOrModeIsRefusedWithTheSpellingsUsersWrite() {
        BindException framing = catchThrowableOfType(BindException.class,
                () -> GatewayConfig.bindWithDefaults(Map.of("gateway.listeners[0].framing", "bogus")));
        assertThat(GatewayConfig.describe(framing)).contains("'bogus' is not a framing")
                .contains("line, length-prefix, stx-etx").doesNotContain("LENGTH_PREFIX");
        BindException mode = catchThrowableOfType(BindException.class,
                () -> GatewayConfig.bindWithDefaults(Map.of("gateway.listeners[0].mode", "shout")));
        assertThat(GatewayConfig.describe(mode)).contains("echo, broadcast, forward").doesNotContain("BROADCAST");
        assertThat(new ConfigNameFailureAnalyzer().analyze(framing)).isNotNull().satisfies((analysis) -> {
            assertThat(analysis.getDescription()).contains("gateway.listeners[0].framing").contains("bogus")
                    .contains("line, length-prefix, stx-etx").doesNotContain("LENGTH_PREFIX");
            assertThat(analysis.getAction()).doesNotContain("LENGTH_PREFIX");
        });
    }

    @Test
    void theDocumentedDefaultsAreValid() {
        GatewayProperties defaults = GatewayConfig.bindWithDefaults(Map.of());
        assertThat(defaults.listeners()).extracting(ListenerProperties::name).containsExactly("chat");
    }
}
