package io.tcpgateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tcpgateway.TcpGatewayApplication;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * CONTRACT section 8 at a real start-up: the failure report names the property and the value, for a
 * binding error (every other binding error is covered in-process by ConfigurationErrorsTest) and for
 * the errors only a starting application can find: an unknown SSL bundle, a port in use, Kafka producer settings
 * forwarding cannot work with.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationErrorsIT {

    @Test
    void aBadValueStopsStartUpWithAReportNamingThePropertyAndTheValue(CapturedOutput output) {
        assertThatThrownBy(() -> start(Map.of("server.port", "0", "gateway.listeners[0].name", "chat",
                "gateway.listeners[0].port", "70000"))).isInstanceOf(Exception.class);
        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
                .contains("gateway.listeners[0].port").contains("70000");
    }

    @Test
    void anUnknownFramingIsReportedWithTheSpellingsUsersWrite(CapturedOutput output) {
        assertThatThrownBy(() -> start(Map.of("server.port", "0", "gateway.listeners[0].port", "0",
                "gateway.listeners[0].framing", "bogus"))).isInstanceOf(Exception.class);
        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
                .contains("gateway.listeners[0].framing").contains("bogus").contains("line, length-prefix, stx-etx")
                .doesNotContain("LENGTH_PREFIX");
    }

    @Test
    void anUnknownKeyStopsStartUpNamingIt(CapturedOutput output) {
        assertThatThrownBy(() -> start(Map.of("server.port", "0", "gateway.listeners[0].port", "0",
                "gateway.listeners[0].max-conections", "5"))).isInstanceOf(Exception.class);
        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
                .contains("gateway.listeners[0].max-conections");
    }

    @Test
    void anUnknownSslBundleStopsStartUpNamingTheProperty(CapturedOutput output) {
        assertThatThrownBy(() -> start(Map.of("server.port", "0", "gateway.listeners[0].name", "chat",
                "gateway.listeners[0].port", "0", "gateway.listeners[0].ssl-bundle", "nope")))
                .isInstanceOf(Exception.class);
        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
                .contains("gateway.listeners[0].ssl-bundle").contains("nope");
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

    @Test
    void framesInFlightBeyondTheProducersMemoryStopStartUpNamingTheProperty(CapturedOutput output) {
        assertThatThrownBy(() -> start(Map.of("server.port", "0", "gateway.listeners[0].port", "0",
                "gateway.kafka.enabled", "true", "spring.kafka.bootstrap-servers", "127.0.0.1:1",
                "gateway.kafka.max-in-flight-bytes", "30MB"))).isInstanceOf(Exception.class);
        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
                .contains("gateway.kafka.max-in-flight-bytes").contains("31457280 bytes").contains("buffer-memory");
    }

    @Test
    void aTransactionalProducerStopsStartUpNamingTheProperty(CapturedOutput output) {
        assertThatThrownBy(() -> start(Map.of("server.port", "0", "gateway.listeners[0].port", "0",
                "gateway.kafka.enabled", "true", "spring.kafka.bootstrap-servers", "127.0.0.1:1",
                "spring.kafka.producer.transaction-id-prefix", "gw-"))).isInstanceOf(Exception.class);
        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
                .contains("spring.kafka.producer.transaction-id-prefix").contains("without transactions");
    }

    private static void start(Map<String, String> properties) {
        // Command-line arguments, as a user would pass them: they win over the application.yml defaults.
        String[] args = properties.entrySet().stream().map((e) -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        new SpringApplicationBuilder(TcpGatewayApplication.class).run(args).close();
    }
}
