package io.tcpgateway.listener;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.integration.support.management.IntegrationManagement;

/**
 * Spring Integration times every channel send and handler call when a MeterRegistry exists: per frame, the
 * largest cost JFR showed after the message ids. The gateway's own meters count what operators need (CONTRACT
 * section 7), so the components of its per-frame flows get no metrics captor.
 */
public final class PerMessageMetrics {

    private PerMessageMetrics() {
    }

    /** Takes the captor from every Spring Integration component whose bean name starts with one of {@code prefixes}. */
    @SuppressWarnings("NullAway") // Spring Integration's components take null as "no captor", as intended here
    public static void switchOff(ListableBeanFactory beans, String... prefixes) {
        beans.getBeansOfType(IntegrationManagement.class, false, false).forEach((name, component) -> {
            for (String prefix : prefixes) {
                if (name.startsWith(prefix)) {
                    component.registerMetricsCaptor(null);
                    return;
                }
            }
        });
    }
}
