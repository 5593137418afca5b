package io.tcpgateway.kubernetes;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.json.JsonMapper;

/** The chart rendered by helm (a native library, no binary) with a values file, split into its objects. */
final class RenderedChart {

    static final Path CHART = Path.of("helm", "tcp-gateway");
    /** A current cluster; the chart itself needs 1.25 or later. */
    static final String KUBE_VERSION = "1.33.0";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<Map<String, Object>> objects;

    private RenderedChart(List<Map<String, Object>> objects) {
        this.objects = objects;
    }

    static RenderedChart render(String valuesFile) {
        KubernetesApiStub.instance(); // helm's lookup asks it
        TemplateCommand template = new Helm(CHART).template().withName("gw").withNamespace("chat")
                .withKubeVersion(KUBE_VERSION);
        if (valuesFile != null) {
            template = template.withValuesFile(Path.of("src", "test", "resources", "helm", valuesFile));
        }
        return parse(template.call());
    }

    @SuppressWarnings("unchecked")
    static RenderedChart parse(String manifest) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(manifest)) {
            if (document != null) {
                objects.add((Map<String, Object>) document);
            }
        }
        return new RenderedChart(objects);
    }

    List<Map<String, Object>> objects() {
        return objects;
    }

    List<String> kinds() {
        return objects.stream().map((object) -> (String) object.get("kind")).toList();
    }

    Map<String, Object> only(String kind) {
        List<Map<String, Object>> found = objects.stream().filter((object) -> kind.equals(object.get("kind"))).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", found " + found.size() + " in " + kinds());
        }
        return found.get(0);
    }

    /** The one object of this kind whose name ends with {@code nameSuffix} (two Services, say). */
    Map<String, Object> named(String kind, String nameSuffix) {
        List<Map<String, Object>> found = objects.stream().filter((object) -> kind.equals(object.get("kind")))
                .filter((object) -> String.valueOf(((Map<?, ?>) object.get("metadata")).get("name")).endsWith(nameSuffix))
                .toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + " named *" + nameSuffix + ", found " + found.size());
        }
        return found.get(0);
    }

    static String json(Map<String, Object> object) {
        return JSON.writeValueAsString(object);
    }
}
