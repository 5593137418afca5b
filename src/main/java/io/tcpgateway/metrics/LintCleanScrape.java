package io.tcpgateway.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.List;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code /actuator/prometheus} as Prometheus's own lint ({@code promtool check metrics}) wants it, so a scrape
 * never carries a name a rule or a dashboard would trip on (MonitoringIT runs the lint on a live scrape).
 * Meters of Spring's observations (HTTP requests, Tomcat's sessions, Spring Security's authorizations) come without
 * a description: they get one, from their name. Not exported at all, because their names break the lint and
 * renaming them would break the dashboards written for them:
 * <ul>
 * <li>the Kafka clients' own meters ({@code kafka.*}: hundreds per client, {@code _ns} units and {@code _count}
 * gauges); what the gateway's Kafka work does is in its own {@code gateway.kafka.*} meters;</li>
 * <li>Spring Security's per-filter observations ({@code spring.security.filterchains.*}: a counter before and after
 * each filter, named after the filter's class in camel case), which say nothing an operator acts on;</li>
 * <li>{@code jvm.compilation.time} and {@code process.cpu.time} (milliseconds and nanoseconds in the name;
 * {@code process.cpu.usage} is there) and {@code system.cpu.count} (a gauge named like a summary's count).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class LintCleanScrape {

    static final List<String> DENIED_PREFIXES = List.of("kafka.", "spring.security.filterchains");
    static final List<String> DENIED = List.of("jvm.compilation.time", "process.cpu.time", "system.cpu.count");

    @Bean
    MeterFilter lintCleanMeters() {
        return new MeterFilter() {

            @Override
            public MeterFilterReply accept(Meter.Id id) {
                String name = id.getName();
                if (DENIED.contains(name) || DENIED_PREFIXES.stream().anyMatch(name::startsWith)) {
                    return MeterFilterReply.DENY;
                }
                return MeterFilterReply.NEUTRAL;
            }

            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getDescription() != null && !id.getDescription().isBlank()) {
                    return id;
                }
                return new Meter.Id(id.getName(), Tags.of(id.getTags()), id.getBaseUnit(), describe(id.getName()),
                        id.getType());
            }
        };
    }

    /** {@code http.server.requests} → "Http server requests (no description given where it was registered)". */
    static String describe(String name) {
        String words = name.replace('.', ' ').replace('_', ' ');
        return words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1)
                + " (no description given where it was registered)";
    }
}
