package io.tcpgateway.admin;

import io.tcpgateway.connection.GatewayListener;
import io.tcpgateway.listener.ListenerRegistrar;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * Health component {@code listeners}, part of readiness: UP when every listener is accepting,
 * OUT_OF_SERVICE while the shutdown drain has them closed, DOWN when one stopped for any other cause.
 */
@Component("listeners")
public class ListenersHealthIndicator implements HealthIndicator {

    private final ListenerRegistrar registrar;

    public ListenersHealthIndicator(ListenerRegistrar registrar) {
        this.registrar = registrar;
    }

    @Override
    public Health health() {
        Status status = Status.UP;
        Health.Builder builder = new Health.Builder();
        for (GatewayListener listener : registrar.listeners()) {
            builder.withDetail(listener.name(), listener.isRunning() ? "listening on port " + listener.boundPort()
                    : listener.isDraining() ? "draining" : "stopped");
            if (!listener.isRunning()) {
                status = listener.isDraining() && status != Status.DOWN ? Status.OUT_OF_SERVICE : Status.DOWN;
            }
        }
        if (registrar.listeners().isEmpty()) {
            status = Status.DOWN; // not started yet
        }
        return builder.status(status).build();
    }
}
