package io.tcpgateway.shutdown;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code drain} component of the readiness group: OUT_OF_SERVICE from the first moment of a drain.
 * The drain also sets Spring Boot's readiness state, but a SIGTERM that comes while the application is
 * still starting (its listeners bind before Boot declares it ready) would see Boot's "ready" land after
 * the drain's "refusing" and undo it; this component cannot be undone.
 */
@Component("drain")
class DrainHealthIndicator implements HealthIndicator {

    private final DrainLifecycle drain;

    DrainHealthIndicator(DrainLifecycle drain) {
        this.drain = drain;
    }

    @Override
    public Health health() {
        return drain.isDraining() ? Health.outOfService().withDetail("draining", true).build() : Health.up().build();
    }
}
