package io.tcpgateway.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.tcpgateway.listener.ListenerRegistrar;
import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.TcpTestClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * CONTRACT section 2, {@code max-frames-per-second} and {@code max-frames-burst}: a client blasting
 * frames is held to the rate (after its burst), gets every frame back in order (nothing dropped or
 * reordered), and the pauses are counted; meanwhile another client on the same listener is served at
 * once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.admin.password=test-secret",
        "gateway.listeners[0].name=limited", "gateway.listeners[0].port=0", "gateway.listeners[0].mode=echo",
        "gateway.listeners[0].max-frames-per-second=200", "gateway.listeners[0].max-frames-burst=20" })
class InboundRateIT {

    static final int FRAMES = 1000;

    @Autowired
    ListenerRegistrar registrar;

    @Autowired
    MeterRegistry meters;

    @Test
    void aBlastingClientIsHeldToTheRateWithNothingLostWhileAnotherIsServedAtOnce() throws Exception {
        int port = GatewayPorts.of(registrar, "limited");
        try (TcpTestClient blaster = TcpTestClient.connect(port); TcpTestClient polite = TcpTestClient.connect(port)) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 0; i < FRAMES; i++) {
                all.writeBytes(("frame " + i + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            long[] arrivals = new long[FRAMES];
            AtomicInteger received = new AtomicInteger();
            long started = System.nanoTime();
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < FRAMES; i++) {
                    assertThat(blaster.readLine()).as("in order, none lost").isEqualTo("frame " + i);
                    arrivals[i] = System.nanoTime() - started;
                    received.incrementAndGet();
                }
            });
            blaster.sendRaw(all.toByteArray());

            await().until(() -> received.get() >= 100); // the blaster is being served, at the rate
            for (int i = 0; i < 10; i++) {
                long sent = System.nanoTime();
                polite.sendLine("hello " + i);
                assertThat(polite.readLine()).isEqualTo("hello " + i);
                assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("the other client is not held")
                        .isLessThan(Duration.ofMillis(200));
            }
            assertThat(reader).as("the blaster was still being held meanwhile").isNotDone();
            reader.get();
            long inFirstSecond = Arrays.stream(arrivals).filter((at) -> at <= Duration.ofSeconds(1).toNanos()).count();
            assertThat(inFirstSecond).as("the burst and about one second at the rate").isBetween(150L, 20L + 200 + 40);
            assertThat(Duration.ofNanos(arrivals[FRAMES - 1])).as("(1000 - 20) frames at 200/s")
                    .isBetween(Duration.ofMillis(4400), Duration.ofSeconds(8));
        }
        assertThat(meters.get("gateway.inbound.throttled").tag("listener", "limited").functionCounter().count())
                .isGreaterThan(0);
    }
}
