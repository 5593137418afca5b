package io.tcpgateway.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.listener.ListenerRegistrar;
import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.Peers;
import io.tcpgateway.support.TcpTestClient;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** CONTRACT section 9: one line per connection opened and closed, with its facts; nothing per frame. */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.listeners[0].name=logged", "gateway.listeners[0].port=0", "gateway.listeners[0].mode=echo" })
class ConnectionLogIT {

    @Autowired
    ListenerRegistrar registrar;

    @Autowired
    PeerRegistry registry;

    @Test
    void oneLineWhenAConnectionOpensAndOneWhenItClosesWithItsReasonAndNoneForItsFrames(CapturedOutput output) {
        String id;
        int clientPort;
        try (TcpTestClient client = TcpTestClient.connect(GatewayPorts.of(registrar, "logged"))) {
            clientPort = client.socket().getLocalPort();
            for (int i = 0; i < 200; i++) {
                client.sendLine("frame " + i);
                client.readLine();
            }
            id = Peers.of(registry, client).id();
        }
        await().until(() -> output.getOut().contains("Connection closed: listener=logged id=" + id + " "));
        List<String> lines = Arrays.stream(output.getOut().split("\\R")).filter((line) -> line.contains(" id=" + id + " ")).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("INFO").contains("Connection opened: listener=logged id=" + id
                + " remote=127.0.0.1:" + clientPort);
        assertThat(lines.get(1)).contains("INFO").contains("Connection closed: listener=logged id=" + id
                + " remote=127.0.0.1:" + clientPort + " reason=peer");
        assertThat(output.getOut()).doesNotContain("frame 1");
    }
}
