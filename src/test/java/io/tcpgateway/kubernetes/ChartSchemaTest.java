package io.tcpgateway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.tcpgateway.config.DuplicatePrincipal;
import io.tcpgateway.config.GatewayProperties;
import io.tcpgateway.config.ListenerProperties;
import io.tcpgateway.support.GatewayConfig;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.io.ByteArrayResource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 21: {@code values.gateway} takes every {@code gateway.*} property in camelCase (the chart's schema
 * is held to the configuration metadata, so a property added to the records must be added to the chart),
 * every key of the schema renders into a ConfigMap the gateway binds, and a typo under {@code gateway}
 * fails {@code helm install} with a schema error.
 */
class ChartSchemaTest {

    /** Properties other values set (or that must not come from values), with where they come from. */
    static final Map<String, String> SET_ELSEWHERE = Map.of(
            "gateway.admin.password", "adminPassword.*: a Secret, never values",
            "gateway.auth.tokens", "auth.tokensSecret: a Secret, never values",
            "gateway.auth.jwt.enabled", "auth.jwt.enabled, with its key source",
            "gateway.cluster.enabled", "cluster.enabled, with Redis",
            "gateway.cluster.node-id", "each pod's own name",
            "gateway.kafka.enabled", "kafka.enabled, with the brokers");

    /** Schema keys the every-key values file leaves out, and why. */
    static final Set<String> NOT_IN_THE_EVERY_KEY_FILE = Set.of("listeners.sslBundle"); // needs tlsBundles: HelmChartTest

    static final Path SCHEMA = Path.of("helm", "tcp-gateway", "values.schema.json");

    @Test
    void theSchemaTakesEveryGatewayPropertyOfTheConfigurationMetadata() throws IOException {
        JsonNode gateway = JsonMapper.builder().build().readTree(Files.readString(SCHEMA)).at("/properties/gateway");
        assertThat(gateway.at("/additionalProperties").asBoolean(true)).as("a typo under gateway is refused").isFalse();
        List<String> missing = new ArrayList<>();
        for (String property : metadataProperties()) {
            if (property.equals("gateway.listeners") || SET_ELSEWHERE.containsKey(property)) {
                continue;
            }
            String pointer = "";
            for (String part : property.substring("gateway.".length()).split("\\.")) {
                pointer += "/properties/" + camel(part);
            }
            if (gateway.at(pointer).isMissingNode()) {
                missing.add(property);
            }
        }
        for (RecordComponent component : ListenerProperties.class.getRecordComponents()) {
            if (gateway.at("/properties/listeners/items/properties/" + component.getName()).isMissingNode()) {
                missing.add("gateway.listeners[*]." + component.getName());
            }
        }
        assertThat(missing).as("settable in values.gateway (or listed in SET_ELSEWHERE with a reason)").isEmpty();
    }

    @Test
    void everyKeyOfTheSchemaRendersIntoAConfigMapTheGatewayBinds() throws IOException {
        JsonNode gateway = JsonMapper.builder().build().readTree(Files.readString(SCHEMA)).at("/properties/gateway");
        Set<String> schemaLeaves = new TreeSet<>();
        schemaLeaves(gateway, "", schemaLeaves);
        schemaLeaves.removeAll(NOT_IN_THE_EVERY_KEY_FILE);
        Map<String, Object> values = new Yaml().load(Files.readString(Path.of("src", "test", "resources", "helm",
                "every-gateway-key.yaml")));
        Set<String> valueLeaves = new TreeSet<>();
        valueLeaves(values.get("gateway"), "", valueLeaves);
        assertThat(valueLeaves).as("the every-key file sets every key of the schema").containsAll(schemaLeaves);

        RenderedChart chart = RenderedChart.render("every-gateway-key.yaml");
        String yaml = ((V1ConfigMap) KubernetesModel.validate(chart.only("ConfigMap"))).getData().get("application.yml");
        // Its listener takes tokens, which a pod reads from auth.tokensSecret, not from the ConfigMap.
        GatewayProperties bound = GatewayConfig.bindYaml(new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)),
                Map.of("gateway.auth.tokens.device-a", "0".repeat(64)));
        ListenerProperties devices = bound.listeners().get(0);
        assertThat(devices.duplicatePrincipal()).isEqualTo(DuplicatePrincipal.REPLACE);
        assertThat(bound.principals().queue().maxTtl().toHours()).isEqualTo(12);
        assertThat(bound.principals().queue().maxTotalBytes().toMegabytes()).isEqualTo(32);
        assertThat(devices.maxFramesBurst()).isEqualTo(200);
        assertThat(devices.includeSender()).isTrue();
        assertThat(bound.heartbeat().ping()).isEqualTo("HELLO");
        assertThat(bound.admin().maxLoginFailures()).isEqualTo(20);
        assertThat(bound.admin().loginFailureWindow().toMinutes()).isEqualTo(2);
        assertThat(bound.cluster().channelPrefix()).isEqualTo("devices-gw");
        assertThat(bound.cluster().maxPendingFrames()).isEqualTo(5000);
        assertThat(bound.outbound().maxStall().toMillis()).isEqualTo(30);
        assertThat(bound.inbound().reservedDescriptors()).isEqualTo(300);
        assertThat(bound.inbound().releaseReaderAfter().toSeconds()).isEqualTo(2);
        assertThat(bound.flapping().maxTracked()).isEqualTo(20_000);
        assertThat(bound.shutdown().message()).isEqualTo("BYE maintenance");
        ListenerProperties meters = bound.listeners().get(1);
        assertThat(meters.mode()).isEqualTo(io.tcpgateway.config.Mode.FORWARD);
        assertThat(meters.forwardTopic()).isEqualTo("meter.readings");
        assertThat(meters.forwardAcks()).isTrue();
        assertThat(bound.kafka().enabled()).as("from kafka.enabled").isTrue();
        assertThat(bound.kafka().commandsTopicOrNull()).isEqualTo("gw.commands");
        assertThat(bound.kafka().maxInFlightBytesPerConnection().toKilobytes()).isEqualTo(512);
        assertThat(bound.kafka().maxPendingEvents()).isEqualTo(2000);
        assertThat(yaml).contains("bootstrap-servers: kafka:9092");
        assertThat(yaml).as("JSON logs from values, not only extraEnv").contains("console: ecs");
    }

    @ParameterizedTest
    @ValueSource(strings = { "invalid-gateway-typo.yaml", "invalid-gateway-section.yaml", "invalid-listener-typo.yaml" })
    void aTypoUnderGatewayFailsTheInstall(String values) {
        assertThatThrownBy(() -> RenderedChart.render(values)).hasMessageContaining("values don't meet the specifications of the schema");
    }

    private static void schemaLeaves(JsonNode node, String path, Set<String> into) {
        JsonNode properties = node.has("items") ? node.at("/items/properties") : node.at("/properties");
        if (properties.isMissingNode() || !properties.isObject()) {
            into.add(path);
            return;
        }
        properties.propertyNames().forEach((name) -> schemaLeaves(properties.get(name), path.isEmpty() ? name : path + "." + name, into));
    }

    @SuppressWarnings("unchecked")
    private static void valueLeaves(Object node, String path, Set<String> into) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> valueLeaves(value, path.isEmpty() ? key.toString() : path + "." + key, into));
        }
        else if (node instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map) {
            list.forEach((item) -> valueLeaves(item, path, into));
        }
        else {
            into.add(path);
        }
    }

    private static List<String> metadataProperties() throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = ChartSchemaTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            JsonMapper.builder().build().readTree(in).get("properties").forEach((property) -> {
                String name = property.get("name").asString();
                if (name.startsWith("gateway.")) {
                    names.add(name);
                }
            });
        }
        return names;
    }

    private static String camel(String kebab) {
        StringBuilder camel = new StringBuilder();
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            }
            else {
                camel.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return camel.toString();
    }
}
