package io.tcpgateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tcpgateway.TcpGatewayApplication;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * CONTRACT section 8: a bad gateway.* value stops start-up with a report naming the property and
 * the value. (The non-zero exit status of the real process is checked in ProcessLifecycleIT.)
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationErrorsIT {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            port out of range     | gateway.listeners[0].port=70000                                      | gateway.listeners[0].port     | 70000
            negative port         | gateway.listeners[0].port=-1                                         | gateway.listeners[0].port     | -1
            missing port          | gateway.listeners[0].name=chat                                       | gateway.listeners[0].port     | null
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
            unknown ssl bundle    | gateway.listeners[0].ssl-bundle=nope                                 | gateway.listeners[0].ssl-bundle | nope
            node id with a slash  | gateway.cluster.enabled=true,gateway.cluster.node-id=pod/1           | gateway.cluster.node-id       | pod/1
            zero pending frames   | gateway.cluster.max-pending-frames=0                                 | gateway.cluster.max-pending-frames | 0
            """)
    void aBadValueStopsStartUpNamingThePropertyAndTheValue(String title, String overrides, String property,
            String value, CapturedOutput output) {
        Map<String, String> properties = new LinkedHashMap<>(Map.of("server.port", "0",
                "gateway.listeners[0].name", "chat", "gateway.listeners[0].port", "0"));
        for (String override : overrides.split(",")) {
            properties.put(override.substring(0, override.indexOf('=')), override.substring(override.indexOf('=') + 1));
        }
        if (value.equals("null")) {
            properties.remove("gateway.listeners[0].port");
        }
        assertThatThrownBy(() -> start(properties)).isInstanceOf(Exception.class);
        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START").contains(property);
        if (!value.equals("null")) {
            assertThat(output.getOut() + output.getErr()).contains(value);
        }
    }

    @Test
    void aPortInUseStopsStartUpNamingTheListener(CapturedOutput output) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> properties = Map.of("server.port", "0", "gateway.listeners[0].name", "busy",
                    "gateway.listeners[0].port", String.valueOf(taken.getLocalPort()),
                    "gateway.listeners[0].bind-address", "127.0.0.1");
            assertThatThrownBy(() -> start(properties)).isInstanceOf(Exception.class);
            assertThat(output.getOut()).contains("gateway.listeners[0].port").contains(String.valueOf(taken.getLocalPort()))
                    .contains("busy");
        }
    }

    private static void start(Map<String, String> properties) {
        // Command-line arguments, as a user would pass them: they win over the application.yml defaults.
        String[] args = properties.entrySet().stream().map((e) -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        new SpringApplicationBuilder(TcpGatewayApplication.class).run(args).close();
    }
}
