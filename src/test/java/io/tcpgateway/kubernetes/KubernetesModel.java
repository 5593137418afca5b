package io.tcpgateway.kubernetes;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.io.IOException;
import java.util.Map;

/**
 * Strict validation against the Kubernetes API model: the generated {@code fromJson} of each model
 * class rejects any field the API does not define, at every depth. Custom resources outside the
 * core API (ServiceMonitor) are checked by the tests themselves.
 */
final class KubernetesModel {

    private KubernetesModel() {
    }

    static Object validate(Map<String, Object> object) {
        new JSON(); // registers the type adapters that fromJson relies on
        String json = RenderedChart.json(object);
        String kind = (String) object.get("kind");
        try {
            return switch (kind) {
                case "Deployment" -> V1Deployment.fromJson(json);
                case "Service" -> V1Service.fromJson(json);
                case "ConfigMap" -> V1ConfigMap.fromJson(json);
                case "NetworkPolicy" -> V1NetworkPolicy.fromJson(json);
                case "ServiceAccount" -> V1ServiceAccount.fromJson(json);
                case "Secret" -> V1Secret.fromJson(json);
                case "PodDisruptionBudget" -> V1PodDisruptionBudget.fromJson(json);
                case "HorizontalPodAutoscaler" ->
                        V2HorizontalPodAutoscaler.fromJson(json);
                default -> throw new AssertionError("no model to validate a " + kind + " against");
            };
        }
        catch (IOException ex) {
            throw new AssertionError(kind + " is not valid JSON: " + ex.getMessage(), ex);
        }
    }
}
