package io.tcpgateway.shutdown;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * Readiness as meters, for alerts (the chart's {@code PrometheusRule}): {@code gateway.ready} is 1 while the
 * readiness group ({@code /actuator/health/readiness}: the application ready, every listener accepting, no
 * drain) is UP and 0 otherwise, read from that group itself so the meter and the probe never disagree;
 * {@code gateway.draining} is 1 from the first moment of a drain, so an alert can tell a pod that is leaving
 * on purpose from one that is broken. Each listener's own state is {@code gateway.listener.up}
 * (the metrics package's {@code ListenerMetrics}).
 */
@Component
class ReadinessMetrics {

    private static final String READINESS_GROUP = "readiness";

    ReadinessMetrics(HealthEndpoint health, DrainLifecycle drain, MeterRegistry registry) {
        Gauge.builder("gateway.ready", health, ReadinessMetrics::ready)
                .description("1 while /actuator/health/readiness is UP, else 0").register(registry);
        Gauge.builder("gateway.draining", drain, (lifecycle) -> lifecycle.isDraining() ? 1 : 0)
                .description("1 from the moment the shutdown drain starts").register(registry);
    }

    private static double ready(HealthEndpoint health) {
        HealthDescriptor readiness = health.healthForPath(READINESS_GROUP);
        return (readiness != null && Status.UP.equals(readiness.getStatus())) ? 1 : 0;
    }
}
