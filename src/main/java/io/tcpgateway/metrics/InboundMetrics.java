package io.tcpgateway.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tcpgateway.connection.DescriptorReserve;
import io.tcpgateway.connection.InboundBudget;
import org.springframework.stereotype.Component;

/**
 * The inbound memory budget (CONTRACT section 4) as meters: {@code gateway.inbound.buffered} (bytes of
 * partial frames and large read buffers held now), {@code gateway.inbound.buffered.max} (the budget),
 * {@code gateway.inbound.memory.waiting} (readers paused for memory now) and
 * {@code gateway.inbound.memory.pauses} (such pauses since start); and the client sockets open
 * ({@code gateway.inbound.sockets}) against those the descriptor reserve allows ({@code gateway.inbound.sockets.max}).
 */
@Component
class InboundMetrics {

    InboundMetrics(InboundBudget budget, DescriptorReserve descriptors, MeterRegistry registry) {
        Gauge.builder("gateway.inbound.sockets", descriptors, DescriptorReserve::openSockets)
                .description("Client sockets open, every listener").register(registry);
        Gauge.builder("gateway.inbound.sockets.max", descriptors, DescriptorReserve::maxClientSockets)
                .description("Client sockets allowed: the open-files limit minus gateway.inbound.reserved-descriptors")
                .register(registry);
        Gauge.builder("gateway.inbound.buffered", budget, InboundBudget::heldBytes)
                .description("Bytes held for partial frames and large read buffers, gateway-wide").register(registry);
        Gauge.builder("gateway.inbound.buffered.max", budget, InboundBudget::maxBytes)
                .description("gateway.inbound.max-buffered-bytes").register(registry);
        Gauge.builder("gateway.inbound.memory.waiting", budget, InboundBudget::waitingReaders)
                .description("Connections not read from because the inbound budget is used up").register(registry);
        FunctionCounter.builder("gateway.inbound.memory.pauses", budget, InboundBudget::pauses)
                .description("Times a connection was not read from because the inbound budget was used up").register(registry);
    }
}
