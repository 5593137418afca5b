package io.tcpgateway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.tcpgateway.support.AdminClient;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * CONTRACT section 13 against a live gateway's {@code /actuator/prometheus} (the cluster and Kafka on, so their
 * meters are there; neither Redis nor Kafka need answer for them to be registered): every series the chart's
 * Grafana dashboard and its PrometheusRule query exists, so a renamed meter fails here rather than leaving an
 * empty panel or an alert that can never fire; and Debian's {@code promtool check metrics} finds nothing to
 * say about the scrape.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.admin.password=test-secret", "gateway.cluster.enabled=true", "spring.data.redis.port=1",
        "gateway.listeners[0].name=chat", "gateway.listeners[0].port=0",
        // Kafka on (nobody at that address: its meters are registered all the same), a forward listener, commands.
        "gateway.kafka.enabled=true", "spring.kafka.bootstrap-servers=127.0.0.1:1", "gateway.kafka.commands-topic=commands",
        "gateway.listeners[1].name=meters", "gateway.listeners[1].port=0", "gateway.listeners[1].mode=forward" })
class MonitoringIT {

    private static final Pattern METRIC = Pattern.compile("\\b(gateway_[a-z_]+)\\b");

    @LocalServerPort
    int managementPort;

    @Test
    void everyMetricTheDashboardQueriesIsScrapedFromALiveGateway() {
        RenderedChart chart = RenderedChart.render("grafana.yaml");
        V1ConfigMap configMap = (V1ConfigMap) KubernetesModel.validate(chart.named("ConfigMap", "-dashboard"));
        assertThat(configMap.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        JsonNode dashboard = JsonMapper.builder().build().readTree(configMap.getData().get("tcp-gateway.json"));
        List<String> expressions = new ArrayList<>();
        dashboard.at("/panels").forEach((panel) -> panel.at("/targets").forEach((target) -> expressions.add(target.at("/expr").asString())));
        Set<String> queried = new TreeSet<>();
        for (String expression : expressions) {
            Matcher matcher = METRIC.matcher(expression);
            while (matcher.find()) {
                queried.add(matcher.group(1));
            }
        }
        assertThat(queried).as("what the panels ask for").contains("gateway_connections_active", "gateway_connections_closed_total",
                "gateway_frames_in_total", "gateway_bytes_out_total", "gateway_producer_stalls_total", "gateway_accept_errors_total",
                "gateway_cluster_publish_failures_total", "gateway_kafka_forwarded_total", "gateway_kafka_forward_paused",
                "gateway_kafka_commands_total");

        assertThat(exposed()).as("every series the dashboard queries is scraped").containsAll(queried);
    }

    @Test
    void everyMetricTheAlertsQueryIsScrapedFromALiveGateway() {
        Set<String> queried = new TreeSet<>();
        for (Map<String, Object> rule : PrometheusRuleTest.rules(RenderedChart.render("prometheus-rule.yaml"))) {
            Matcher matcher = METRIC.matcher((String) rule.get("expr"));
            while (matcher.find()) {
                queried.add(matcher.group(1));
            }
        }
        assertThat(queried).as("what the alerts ask for").contains("gateway_listener_up", "gateway_ready", "gateway_draining",
                "gateway_accept_errors_total", "gateway_connections_closed_total", "gateway_cluster_publish_failures_total",
                "gateway_kafka_forward_paused", "gateway_kafka_forward_failures_total");
        assertThat(exposed()).as("every series the alerts query is scraped").containsAll(queried);
    }

    @Test
    void theReadinessMetersSayWhatTheProbeSays() {
        String scraped = scrape();
        assertThat(AdminClient.anonymous(managementPort).get("/actuator/health/readiness").body()).contains("\"UP\"");
        assertThat(scraped).contains("gateway_ready 1.0").contains("gateway_draining 0.0")
                .contains("gateway_listener_up{listener=\"chat\"} 1.0").contains("gateway_listener_up{listener=\"meters\"} 1.0");
    }

    @Test
    void promtoolCheckMetricsPassesOnTheLiveScrape() throws Exception {
        assertThat(PrometheusRuleTest.PROMTOOL).as("Debian's promtool (apt-get install -y prometheus)").exists();
        Process promtool = new ProcessBuilder(PrometheusRuleTest.PROMTOOL.toString(), "check", "metrics")
                .redirectErrorStream(true).start();
        try (var in = promtool.getOutputStream()) {
            in.write(scrape().getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(promtool.exitValue()).as(output).isZero();
        assertThat(output).as("no lint findings").isBlank();
    }

    private String scrape() {
        return AdminClient.anonymous(managementPort).get("/actuator/prometheus").body();
    }

    private Set<String> exposed() {
        Set<String> exposed = new TreeSet<>();
        scrape().lines().filter((line) -> line.startsWith("gateway_"))
                .forEach((line) -> exposed.add(line.substring(0, line.indexOf(line.contains("{") ? '{' : ' '))));
        return exposed;
    }
}
