package io.tcpgateway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * CONTRACT section 13: {@code prometheusRule.enabled} renders a {@code PrometheusRule} with alerts on the
 * section 7 meters, each with a runbook; the rules as the chart renders them are checked by Debian's
 * {@code promtool} ({@code apt-get install -y prometheus}; {@code .ci/run} installs it) and unit-tested with
 * {@code promtool test rules} against recorded series ({@code src/test/resources/prometheus/rules-test.yaml}):
 * each alert fires on the series it is for, and not below its threshold, while its pod drains, or for
 * another release's pods.
 */
class PrometheusRuleTest {

    static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    static final Path RULES_TEST = Path.of("src", "test", "resources", "prometheus", "rules-test.yaml");

    static final List<String> ALERTS = List.of("TcpGatewayListenerDown", "TcpGatewayNotReady", "TcpGatewayAcceptErrors",
            "TcpGatewayHeartbeatTimeouts", "TcpGatewaySlowConsumers", "TcpGatewayClusterPublishFailures",
            "TcpGatewayKafkaForwardingPaused", "TcpGatewayKafkaForwardFailures");

    @Test
    void isRenderedOnlyWhenEnabledWithTheLabelsItsRuleSelectorNeeds() {
        assertThat(RenderedChart.render(null).kinds()).doesNotContain("PrometheusRule");
        Map<String, Object> rule = RenderedChart.render("prometheus-rule.yaml").only("PrometheusRule");
        assertThat(rule.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        assertThat(RenderedChart.json(rule)).contains("\"release\":\"kube-prometheus-stack\"")
                .contains("\"app.kubernetes.io/instance\":\"gw\"");
    }

    @Test
    void everyAlertTheContractNamesIsThereWithARunbookASummaryAndASeverity() {
        List<Map<String, Object>> rules = rules(RenderedChart.render("prometheus-rule.yaml"));
        assertThat(rules).extracting((rule) -> rule.get("alert")).containsExactlyElementsOf(ALERTS);
        for (Map<String, Object> rule : rules) {
            Map<String, Object> annotations = map(rule.get("annotations"));
            assertThat(annotations).as("%s", rule.get("alert")).containsKeys("summary", "description");
            assertThat((String) annotations.get("runbook_url")).isEqualTo(
                    "https://github.com/tcp-gateway/tcp-gateway/blob/main/docs/runbooks.md#"
                            + ((String) rule.get("alert")).toLowerCase(java.util.Locale.ROOT));
            assertThat(map(rule.get("labels"))).containsKey("severity");
        }
    }

    @Test
    void everyRunbookTheAlertsLinkToIsASectionOfDocsRunbooks() throws IOException {
        String runbooks = Files.readString(Path.of("docs", "runbooks.md"));
        for (String alert : ALERTS) {
            assertThat(runbooks).as("a section for %s", alert).contains("\n## " + alert + "\n");
        }
    }

    @Test
    void theRenderedRulesPassPromtoolsCheckAndItsUnitTests(@org.junit.jupiter.api.io.TempDir Path directory)
            throws Exception {
        assertThat(PROMTOOL).as("Debian's promtool (apt-get install -y prometheus)").exists();
        Map<String, Object> spec = map(RenderedChart.render("prometheus-rule.yaml").only("PrometheusRule").get("spec"));
        Files.writeString(directory.resolve("rules.yaml"), new Yaml().dump(Map.of("groups", spec.get("groups"))));
        Files.copy(RULES_TEST, directory.resolve("rules-test.yaml"));

        Result check = promtool(directory, "check", "rules", "rules.yaml");
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 8 rules found");

        Result tested = promtool(directory, "test", "rules", "rules-test.yaml");
        assertThat(tested.exit()).as(tested.output()).isZero();
        assertThat(tested.output()).contains("SUCCESS");
    }

    record Result(int exit, String output) {
    }

    static Result promtool(Path directory, String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rules(RenderedChart chart) {
        Map<String, Object> spec = map(chart.only("PrometheusRule").get("spec"));
        List<Map<String, Object>> groups = (List<Map<String, Object>>) spec.get("groups");
        assertThat(groups).hasSize(1);
        return (List<Map<String, Object>>) groups.get(0).get("rules");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
