package io.tcpgateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * IDE metadata: every {@code gateway.*} property of the documented {@code application.yml} appears in
 * the configuration processor's {@code spring-configuration-metadata.json} with a description, and with
 * the same default where the file gives one. The listeners' own properties are described by their
 * element type ({@code ListenerProperties}), which IDEs follow from {@code gateway.listeners}.
 */
class ConfigurationMetadataTest {

    @Test
    void everyDocumentedPropertyIsInTheMetadataWithItsDescriptionAndDefault() throws IOException {
        Map<String, JsonNode> metadata = new LinkedHashMap<>();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("the configuration processor's output").isNotNull();
            JsonMapper.builder().build().readTree(in).get("properties")
                    .forEach((property) -> metadata.put(property.get("name").asString(), property));
        }
        Map<String, Object> documented = new LinkedHashMap<>();
        Map<String, Object> yaml = new Yaml().load(Files.readString(Path.of("application.yml")));
        flatten("", yaml, documented);

        Map<String, Object> gateway = new LinkedHashMap<>(documented);
        gateway.keySet().removeIf((name) -> !name.startsWith("gateway.") || name.startsWith("gateway.listeners"));
        assertThat(gateway).as("the documented gateway.* properties").hasSizeGreaterThanOrEqualTo(15);
        assertThat(metadata).containsKey("gateway.listeners");
        gateway.forEach((name, value) -> {
            assertThat(metadata).as("metadata for " + name).containsKey(name);
            JsonNode property = metadata.get(name);
            assertThat(property.path("description").asString()).as("description of " + name).isNotBlank();
            String documentedDefault = (value == null) ? "" : value.toString();
            if (!documentedDefault.isEmpty() && !documentedDefault.startsWith("${")) {
                assertThat(property.path("defaultValue").asString()).as("default of " + name).isEqualTo(documentedDefault);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> map, Map<String, Object> into) {
        map.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested) {
                flatten(prefix + key + ".", (Map<String, Object>) nested, into);
            }
            else {
                into.put(prefix + key, value);
            }
        });
    }
}
