package io.tcpgateway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyIngressRule;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import io.tcpgateway.config.Auth;
import io.tcpgateway.config.GatewayProperties;
import io.tcpgateway.config.ListenerProperties;
import io.tcpgateway.config.ProxyProtocol;
import io.tcpgateway.support.GatewayConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.io.ByteArrayResource;

/**
 * The Helm chart, linted and rendered by helm itself (helm-java bundles it as a native library) with
 * the default values and three other value sets; every rendered object is validated strictly against
 * the Kubernetes API model, and the things that matter for running the gateway are asserted.
 */
class HelmChartTest {

    @Test
    void theChartLintsCleanInStrictMode() {
        LintResult lint = new Helm(RenderedChart.CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "several-listeners.yaml", "existing-secret.yaml", "autoscaling-and-monitoring.yaml",
            "cluster.yaml", "cluster-existing-secret-hard.yaml", "cluster-sentinel.yaml", "secured.yaml", "operator-knobs.yaml",
            "grafana.yaml", "prometheus-rule.yaml"})
    void everyRenderedObjectIsValidAgainstTheKubernetesApiModel(String values) {
        RenderedChart chart = RenderedChart.render(values.isEmpty() ? null : values);
        for (Map<String, Object> object : chart.objects()) {
            if (object.get("kind").equals("ServiceMonitor") || object.get("kind").equals("PrometheusRule")) {
                continue; // CRDs: checked in their own tests
            }
            KubernetesModel.validate(object);
        }
        assertThat(chart.kinds()).contains("Deployment", "Service", "ConfigMap", "PodDisruptionBudget");
    }

    @Test
    void theValidationIsStrictUnknownFieldsAreRejected() {
        Map<String, Object> deployment = RenderedChart.render(null).only("Deployment");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) deployment.get("spec");
        spec.put("replica", 2); // a typo of "replicas"
        assertThatThrownBy(() -> KubernetesModel.validate(deployment)).hasMessageContaining("replica");
    }

    @Test
    void defaultsProbeTheManagementPortAndRunAsNonRootWithAReadOnlyRootFilesystem() {
        RenderedChart chart = RenderedChart.render(null);
        V1Deployment deployment = (V1Deployment) KubernetesModel.validate(chart.only("Deployment"));
        V1PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        V1Container gateway = pod.getContainers().get(0);

        assertThat(gateway.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(gateway.getLivenessProbe().getHttpGet().getPort().getStrValue()).isEqualTo("management");
        assertThat(gateway.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        assertThat(gateway.getReadinessProbe().getHttpGet().getPort().getStrValue()).isEqualTo("management");
        assertThat(containerPort(gateway, "management")).isEqualTo(8081);
        assertThat(containerPort(gateway, "chat")).isEqualTo(9000);

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(gateway.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(gateway.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(gateway.getVolumeMounts()).anySatisfy((mount) -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
        assertThat(pod.getVolumes()).anySatisfy((volume) -> assertThat(volume.getEmptyDir()).isNotNull());
        assertThat(gateway.getVolumeMounts()).anySatisfy((mount) -> assertThat(mount.getMountPath()).isEqualTo("/app/config"));
        assertThat(gateway.getLifecycle().getPreStop().getExec().getCommand()).containsExactly("sleep", "5");
        assertThat(gateway.getResources().getLimits()).containsKey("memory");
        assertThat(pod.getEnableServiceLinks()).as("no GATEWAY_*_PORT service variables: unknown gateway.* keys stop start-up")
                .isFalse();

        assertThat(gateway.getEnv()).extracting(V1EnvVar::getName).as("only the admin password")
                .containsExactly("GATEWAY_ADMIN_PASSWORD");
    }

    /**
     * CONTRACT section 13: with no password given, one is generated into the release's Secret, the same for
     * every replica (they all read the Secret), and kept on upgrade: the template reads the installed
     * Secret back with helm's lookup (answered here by {@link KubernetesApiStub}).
     */
    @Test
    void withoutAPasswordOneIsGeneratedIntoTheReleasesSecretForEveryReplicaAndKeptOnUpgrade() {
        RenderedChart install = RenderedChart.render("three-replicas.yaml");
        V1Deployment deployment = (V1Deployment) KubernetesModel.validate(install.only("Deployment"));
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        V1EnvVar password = env(deployment.getSpec().getTemplate().getSpec().getContainers().get(0), "GATEWAY_ADMIN_PASSWORD");
        V1Secret secret = (V1Secret) KubernetesModel.validate(install.only("Secret"));
        assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo(secret.getMetadata().getName());
        String generated = new String(secret.getData().get(password.getValueFrom().getSecretKeyRef().getKey()), StandardCharsets.UTF_8);
        assertThat(generated).matches("[A-Za-z0-9]{32}");

        KubernetesApiStub.instance().putSecret("chat", secret.getMetadata().getName(), "password", generated);
        try {
            for (int upgrade = 0; upgrade < 2; upgrade++) {
                V1Secret upgraded = (V1Secret) KubernetesModel.validate(RenderedChart.render("three-replicas.yaml").only("Secret"));
                assertThat(new String(upgraded.getData().get("password"), StandardCharsets.UTF_8)).as("kept on upgrade")
                        .isEqualTo(generated);
            }
        }
        finally {
            KubernetesApiStub.instance().removeSecret("chat", secret.getMetadata().getName());
        }
        V1Secret fresh = (V1Secret) KubernetesModel.validate(RenderedChart.render("three-replicas.yaml").only("Secret"));
        assertThat(new String(fresh.getData().get("password"), StandardCharsets.UTF_8)).as("a new install, a new password")
                .isNotEqualTo(generated);
    }

    @Test
    void aPasswordGivenAsAValueGoesIntoASecretWiredToGatewayAdminPassword() {
        RenderedChart chart = RenderedChart.render("several-listeners.yaml");
        V1Deployment deployment = (V1Deployment) KubernetesModel.validate(chart.only("Deployment"));
        V1EnvVar password = env(deployment.getSpec().getTemplate().getSpec().getContainers().get(0), "GATEWAY_ADMIN_PASSWORD");
        V1Secret secret = (V1Secret) KubernetesModel.validate(chart.only("Secret"));
        assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo(secret.getMetadata().getName());
        assertThat(new String(secret.getData().get(password.getValueFrom().getSecretKeyRef().getKey()),
                StandardCharsets.UTF_8)).isEqualTo("from-values");
    }

    @Test
    void theInstallNotesSayHowToConnectAndHowToReachTheAdminApi() {
        String notes = new Helm(RenderedChart.CHART).install().withName("gw").withNamespace("chat")
                .withKubeVersion(RenderedChart.KUBE_VERSION).withValuesFile(Path.of("src", "test", "resources", "helm",
                        "several-listeners.yaml")).dryRun().withDryRunOption(DryRun.CLIENT).clientOnly().call().getOutput();
        assertThat(notes).contains("nc $(kubectl get svc -n chat gw-tcp-gateway").contains(" 9100")
                .contains("kubectl port-forward -n chat svc/gw-tcp-gateway-management 8081:8081")
                .contains("curl -u admin:$PASSWORD localhost:8081/actuator/gateway")
                .contains("kubectl get secret -n chat gw-tcp-gateway");
    }

    @Test
    void theInstallNotesShowHowToReadAGeneratedPassword() {
        String notes = new Helm(RenderedChart.CHART).install().withName("gw").withNamespace("chat")
                .withKubeVersion(RenderedChart.KUBE_VERSION).dryRun().withDryRunOption(DryRun.CLIENT).clientOnly().call()
                .getOutput();
        assertThat(notes).contains("generated at install")
                .contains("PASSWORD=$(kubectl get secret -n chat gw-tcp-gateway -o jsonpath='{.data.password}' | base64 -d)");
    }

    @Test
    void theGracePeriodOutlastsThePreStopPauseAndTheWholeDrain() {
        for (String values : new String[] {null, "several-listeners.yaml"}) {
            RenderedChart chart = RenderedChart.render(values);
            V1Deployment deployment = (V1Deployment) KubernetesModel.validate(chart.only("Deployment"));
            GatewayProperties gateway = bindConfigMap(chart);
            long grace = deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
            long preStop = Long.parseLong(deployment.getSpec().getTemplate().getSpec().getContainers().get(0)
                    .getLifecycle().getPreStop().getExec().getCommand().get(1));
            assertThat(grace).as(values).isGreaterThan(preStop + gateway.shutdown().gracePeriod().toSeconds()
                    + gateway.shutdown().drainTimeout().toSeconds());
        }
    }

    @Test
    void theListenersServiceHasOnePortPerListenerAndTheConfigMapBindsToTheGatewayProperties() {
        RenderedChart chart = RenderedChart.render("several-listeners.yaml");
        V1Service service = (V1Service) KubernetesModel.validate(chart.named("Service", "tcp-gateway"));
        V1Deployment deployment = (V1Deployment) KubernetesModel.validate(chart.only("Deployment"));
        V1Container gateway = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(service.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(service.getSpec().getPorts()).extracting(V1ServicePort::getName)
                .as("never the management port").containsExactly("chat", "devices", "legacy");
        assertThat(service.getSpec().getPorts()).extracting(V1ServicePort::getPort).containsExactly(9000, 9100, 9200);
        for (V1ServicePort port : service.getSpec().getPorts()) {
            assertThat(containerPort(gateway, port.getTargetPort().getStrValue())).as(port.getName())
                    .isEqualTo(port.getPort());
        }
        assertThat(service.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
        assertThat(service.getSpec().getLoadBalancerSourceRanges()).containsExactly("198.51.100.0/24", "2001:db8::/32");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);

        GatewayProperties properties = bindConfigMap(chart);
        assertThat(properties.listeners()).extracting(ListenerProperties::name).containsExactly("chat", "devices", "legacy");
        assertThat(properties.listeners().get(1).framing().name()).isEqualTo("LENGTH_PREFIX");
        assertThat(properties.listeners().get(1).maxFrameBytes()).isEqualTo(1024);
        assertThat(properties.heartbeat().timeout().toSeconds()).isEqualTo(25);
        ListenerProperties devices = properties.listeners().get(1);
        assertThat(devices.proxyProtocol()).isEqualTo(ProxyProtocol.REQUIRED);
        assertThat(devices.proxyHeaderTimeout().toSeconds()).isEqualTo(3);
        assertThat(devices.trustedProxies()).containsExactly("10.0.0.0/8", "192.168.1.7");
        assertThat(devices.maxConnectionsPerSource()).isEqualTo(10);
        assertThat(devices.maxConnectRate()).isEqualTo(100);
        assertThat(properties.listeners().get(0).proxyProtocol()).as("a bare YAML off").isEqualTo(ProxyProtocol.OFF);
        assertThat(properties.outbound().writeDeadline().toSeconds()).isEqualTo(5);
        assertThat(properties.outbound().maxStall().toMillis()).isEqualTo(20);
        assertThat(properties.inbound().budgetBytes()).isEqualTo(32L << 20);
        assertThat(properties.inbound().frameTimeout().toSeconds()).isEqualTo(20);
        assertThat(properties.inbound().reservedDescriptors()).isEqualTo(512);
        assertThat(properties.flapping().maxTracked()).isEqualTo(50_000);
        assertThat(properties.auth().jwt().requireExpiry()).isFalse();
    }

    /**
     * CONTRACT section 13 and issue 13: a LoadBalancer for the listeners must not put the admin API and
     * the open /actuator/prometheus on the internet, so management has its own ClusterIP Service.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "several-listeners.yaml"})
    void managementHasAClusterIpServiceOfItsOwnWhateverTheListenersServiceIs(String values) {
        RenderedChart chart = RenderedChart.render(values.isEmpty() ? null : values);
        V1Service management = (V1Service) KubernetesModel.validate(chart.named("Service", "-management"));
        V1Deployment deployment = (V1Deployment) KubernetesModel.validate(chart.only("Deployment"));
        assertThat(management.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(management.getSpec().getPorts()).singleElement().satisfies((port) -> {
            assertThat(port.getName()).isEqualTo("management");
            assertThat(port.getPort()).isEqualTo(8081);
            assertThat(port.getTargetPort().getStrValue()).isEqualTo("management");
        });
        assertThat(management.getSpec().getSelector())
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(management.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "management");
        assertThat(chart.objects().stream().filter((object) -> "Service".equals(object.get("kind")))).hasSize(2);
    }

    @Test
    void theNetworkPolicyOpensTheListenersToAllAndManagementOnlyToWhomItNames() {
        assertThat(RenderedChart.render(null).kinds()).doesNotContain("NetworkPolicy");
        RenderedChart chart = RenderedChart.render("several-listeners.yaml");
        V1NetworkPolicy policy = (V1NetworkPolicy) KubernetesModel.validate(chart.only("NetworkPolicy"));
        V1Deployment deployment = (V1Deployment) KubernetesModel.validate(chart.only("Deployment"));
        assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        V1NetworkPolicyIngressRule listeners = policy.getSpec().getIngress().get(0);
        assertThat(listeners.getFrom()).as("from anywhere").isNullOrEmpty();
        assertThat(listeners.getPorts()).extracting((port) -> port.getPort().getIntValue()).containsExactly(9000, 9100, 9200);
        V1NetworkPolicyIngressRule management = policy.getSpec().getIngress().get(1);
        assertThat(management.getPorts()).extracting((port) -> port.getPort().getIntValue()).containsExactly(8081);
        assertThat(management.getFrom()).singleElement().satisfies((peer) -> assertThat(
                peer.getNamespaceSelector().getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "monitoring"));
    }

    @Test
    void externalTrafficPolicyOnAClusterIpServiceIsRefusedNamingWhatToSet() {
        assertThatThrownBy(() -> RenderedChart.render("invalid-traffic-policy.yaml"))
                .hasMessageContaining("service.externalTrafficPolicy applies to a LoadBalancer or NodePort Service");
    }

    /**
     * Issue 14: tokens, the JWT key and TLS material come from Secrets (or a ConfigMap for the public key),
     * mounted read-only, and the rendered configuration points at the mounted files, with reload-on-update.
     */
    @Test
    void authAndTlsMaterialComeFromSecretsMountedReadOnlyAndTheConfigurationPointsAtThem() {
        RenderedChart chart = RenderedChart.render("secured.yaml");
        V1Deployment deployment = (V1Deployment) KubernetesModel.validate(chart.only("Deployment"));
        V1PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        V1Container gateway = pod.getContainers().get(0);
        Map<String, String> mounts = new TreeMap<>();
        gateway.getVolumeMounts().stream().filter((mount) -> !mount.getName().equals("tmp")).forEach((mount) -> {
            assertThat(mount.getReadOnly()).as(mount.getName()).isTrue();
            mounts.put(mount.getName(), mount.getMountPath());
        });
        assertThat(mounts).containsEntry("tokens", "/app/tokens/gateway/auth/tokens").containsEntry("jwt-key", "/app/jwt")
                .containsEntry("tls-devices", "/app/tls/devices").containsEntry("tls-ca-devices", "/app/tls-ca/devices");
        Map<String, V1Volume> volumes = new TreeMap<>();
        pod.getVolumes().forEach((volume) -> volumes.put(volume.getName(), volume));
        assertThat(volumes.get("tokens").getSecret().getSecretName()).isEqualTo("gw-tokens");
        assertThat(volumes.get("jwt-key").getConfigMap().getName()).isEqualTo("jwt-keys");
        assertThat(volumes.get("tls-devices").getSecret().getSecretName()).isEqualTo("devices-tls");
        assertThat(volumes.get("tls-ca-devices").getSecret().getSecretName()).isEqualTo("devices-ca");

        GatewayProperties properties = bindConfigMap(chart);
        assertThat(properties.listeners()).extracting(ListenerProperties::auth).containsExactly(Auth.TOKEN, Auth.CLIENT_CERT);
        assertThat(properties.listeners().get(0).maxFramesPerSecond()).isEqualTo(100);
        assertThat(properties.listeners().get(0).framesBurst()).isEqualTo(200);
        assertThat(properties.auth().timeout().toSeconds()).isEqualTo(3);
        assertThat(properties.auth().jwt().enabled()).isTrue();
        assertThat(properties.auth().tokens()).as("never in the configuration").isEmpty();
        assertThat(properties.flapping().maxAuthFailures()).isEqualTo(3);
        assertThat(settings(chart, "spring.")).containsEntry("spring.config.import", "optional:configtree:/app/tokens/")
                .containsEntry("spring.security.oauth2.resourceserver.jwt.public-key-location", "file:/app/jwt/public.pem")
                .containsEntry("spring.ssl.bundle.pem.devices.keystore.certificate", "file:/app/tls/devices/tls.crt")
                .containsEntry("spring.ssl.bundle.pem.devices.keystore.private-key", "file:/app/tls/devices/tls.key")
                .containsEntry("spring.ssl.bundle.pem.devices.truststore.certificate", "file:/app/tls-ca/devices/ca.crt")
                .containsEntry("spring.ssl.bundle.pem.devices.reload-on-update", true);
    }

    /** Issue 15: the knobs operators expect of a chart (compare Bitnami's and the NATS chart). */
    @Test
    void operatorsGetAServiceAccountWithoutATokenSpreadPriorityNodePortsAndExtras() {
        RenderedChart defaults = RenderedChart.render(null);
        V1ServiceAccount account = (V1ServiceAccount) KubernetesModel.validate(defaults.only("ServiceAccount"));
        V1PodSpec defaultPod = ((V1Deployment) KubernetesModel.validate(defaults.only("Deployment"))).getSpec().getTemplate().getSpec();
        assertThat(defaultPod.getServiceAccountName()).isEqualTo(account.getMetadata().getName());
        assertThat(defaultPod.getAutomountServiceAccountToken()).as("the gateway never calls the Kubernetes API").isFalse();
        assertThat(account.getAutomountServiceAccountToken()).isFalse();

        RenderedChart chart = RenderedChart.render("operator-knobs.yaml");
        V1PodSpec pod = ((V1Deployment) KubernetesModel.validate(chart.only("Deployment"))).getSpec().getTemplate().getSpec();
        V1Container gateway = pod.getContainers().get(0);
        assertThat(((V1ServiceAccount) KubernetesModel.validate(chart.only("ServiceAccount"))).getMetadata().getAnnotations())
                .containsKey("eks.amazonaws.com/role-arn");
        assertThat(pod.getPriorityClassName()).isEqualTo("edge-critical");
        assertThat(pod.getTopologySpreadConstraints()).singleElement().satisfies((spread) -> {
            assertThat(spread.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone");
            assertThat(spread.getLabelSelector().getMatchLabels()).containsEntry("app.kubernetes.io/instance", "gw");
        });
        assertThat(env(gateway, "TZ").getValue()).isEqualTo("UTC");
        assertThat(gateway.getVolumeMounts()).anySatisfy((mount) -> assertThat(mount.getMountPath()).isEqualTo("/etc/extra-certs"));
        assertThat(pod.getVolumes()).filteredOn((volume) -> volume.getConfigMap() != null)
                .anySatisfy((volume) -> assertThat(volume.getConfigMap().getName()).isEqualTo("corporate-ca"));
        V1Service listeners = (V1Service) KubernetesModel.validate(chart.named("Service", "tcp-gateway"));
        assertThat(listeners.getSpec().getType()).isEqualTo("NodePort");
        assertThat(listeners.getSpec().getPorts()).singleElement().satisfies((port) -> assertThat(port.getNodePort()).isEqualTo(30900));
    }

    @Test
    void theGrafanaDashboardIsAConfigMapTheSidecarPicksUpOnlyWhenEnabled() {
        assertThat(RenderedChart.render(null).objects()).noneSatisfy((object) -> assertThat(RenderedChart.json(object))
                .contains("grafana_dashboard"));
        RenderedChart chart = RenderedChart.render("grafana.yaml");
        V1ConfigMap dashboard = (V1ConfigMap) KubernetesModel.validate(chart.named("ConfigMap", "-dashboard"));
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Gateways");
        String json = dashboard.getData().get("tcp-gateway.json");
        assertThat(json).contains("\"title\": \"tcp-gateway\"").contains("gateway_connections_active")
                .contains("$__rate_interval");
    }

    @Test
    void anExistingSecretIsUsedInsteadOfCreatingOne() {
        RenderedChart chart = RenderedChart.render("existing-secret.yaml");
        assertThat(chart.kinds()).doesNotContain("Secret");
        V1Deployment deployment = (V1Deployment) KubernetesModel.validate(chart.only("Deployment"));
        V1EnvVar password = env(deployment.getSpec().getTemplate().getSpec().getContainers().get(0), "GATEWAY_ADMIN_PASSWORD");
        assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("gateway-admin");
        assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("admin-password");
    }

    @Test
    void autoscalingAndAServiceMonitorAreRenderedOnlyWhenEnabled() {
        assertThat(RenderedChart.render(null).kinds()).doesNotContain("HorizontalPodAutoscaler", "ServiceMonitor");
        RenderedChart chart = RenderedChart.render("autoscaling-and-monitoring.yaml");
        V2HorizontalPodAutoscaler hpa = (V2HorizontalPodAutoscaler) KubernetesModel.validate(chart.only("HorizontalPodAutoscaler"));
        V1Deployment deployment = (V1Deployment) KubernetesModel.validate(chart.only("Deployment"));
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getReplicas()).as("the autoscaler owns the replica count").isNull();

        Map<String, Object> monitor = chart.only("ServiceMonitor");
        assertThat(monitor.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        assertThat(RenderedChart.json(monitor)).contains("\"port\":\"management\"").contains("\"path\":\"/actuator/prometheus\"")
                .contains("\"release\":\"prometheus\"");
        @SuppressWarnings("unchecked")
        Map<String, Object> selector = (Map<String, Object>) ((Map<String, Object>) monitor.get("spec")).get("selector");
        Map<String, String> managementOnly = new TreeMap<>(deployment.getSpec().getSelector().getMatchLabels());
        managementOnly.put("app.kubernetes.io/component", "management");
        assertThat((Map<String, Object>) selector.get("matchLabels")).as("the management Service, not the listeners'")
                .isEqualTo(managementOnly);
        V1Service management = (V1Service) KubernetesModel.validate(chart.named("Service", "-management"));
        assertThat(management.getMetadata().getLabels()).containsAllEntriesOf(managementOnly);
        V1Service listeners = (V1Service) KubernetesModel.validate(chart.named("Service", "tcp-gateway"));
        assertThat(listeners.getMetadata().getLabels()).doesNotContainEntry("app.kubernetes.io/component", "management");
    }

    @Test
    void aConfigChangeChangesThePodTemplateSoThePodsRestart() {
        String before = checksum(RenderedChart.render(null));
        String after = checksum(RenderedChart.render("several-listeners.yaml"));
        assertThat(before).isNotBlank().isNotEqualTo(after);
        assertThat(checksum(RenderedChart.render(null))).as("stable for the same config").isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"invalid-port.yaml", "invalid-mode.yaml", "invalid-cluster-without-host.yaml",
            "invalid-proxy-protocol.yaml", "invalid-trusted-proxy.yaml", "invalid-token-in-values.yaml",
            "invalid-kafka-without-brokers.yaml", "invalid-sentinel-without-nodes.yaml"})
    void theValuesSchemaRejectsBadListeners(String values) {
        assertThatThrownBy(() -> RenderedChart.render(values)).hasMessageContaining("values don't meet the specifications of the schema");
    }

    @Test
    void theClusterValuesTurnTheBridgeOnPointItAtRedisAndSpreadTheReplicas() {
        RenderedChart chart = RenderedChart.render("cluster.yaml");
        assertThat(bindConfigMap(chart).cluster().enabled()).isTrue();
        Map<String, Object> redis = redisSettings(chart);
        assertThat(redis).containsEntry("spring.data.redis.host", "redis-master.redis.svc")
                .containsEntry("spring.data.redis.port", 6380).containsEntry("spring.data.redis.ssl.enabled", false);

        V1Deployment deployment = (V1Deployment) KubernetesModel.validate(chart.only("Deployment"));
        V1PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        V1EnvVar password = env(pod.getContainers().get(0), "SPRING_DATA_REDIS_PASSWORD");
        V1Secret secret = chart.objects().stream().filter((object) -> object.get("kind").equals("Secret"))
                .map((object) -> (V1Secret) KubernetesModel.validate(object))
                .filter((candidate) -> candidate.getMetadata().getName().equals(password.getValueFrom().getSecretKeyRef().getName()))
                .findFirst().orElseThrow(() -> new AssertionError("no Secret for the Redis password"));
        assertThat(new String(secret.getData().get(password.getValueFrom().getSecretKeyRef().getKey()),
                StandardCharsets.UTF_8)).isEqualTo("redis-secret-value");

        var spread = pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution().get(0);
        assertThat(spread.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
        assertThat(spread.getPodAffinityTerm().getLabelSelector().getMatchLabels())
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void aClusterCanTakeTheRedisPasswordFromAnExistingSecretAndRequireOneReplicaPerNode() {
        RenderedChart chart = RenderedChart.render("cluster-existing-secret-hard.yaml");
        assertThat(((V1Secret) KubernetesModel.validate(chart.only("Secret"))).getData())
                .as("only the admin password's Secret: none for Redis").containsOnlyKeys("password");
        assertThat(redisSettings(chart)).containsEntry("spring.data.redis.ssl.enabled", true);
        V1Deployment deployment = (V1Deployment) KubernetesModel.validate(chart.only("Deployment"));
        V1PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        V1EnvVar password = env(pod.getContainers().get(0), "SPRING_DATA_REDIS_PASSWORD");
        assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("shared-redis");
        assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("auth");
        var required = pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().get(0);
        assertThat(required.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
        assertThat(required.getLabelSelector().getMatchLabels()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void theSentinelValuesPointThePodsAtTheSentinelsWithTheRedisPasswordForBoth() {
        RenderedChart chart = RenderedChart.render("cluster-sentinel.yaml");
        assertThat(bindConfigMap(chart).cluster().enabled()).isTrue();
        assertThat(redisSettings(chart)).containsEntry("spring.data.redis.sentinel.master", "mymaster")
                .containsEntry("spring.data.redis.sentinel.nodes",
                        "redis-node-0.redis-headless.redis.svc:26379,redis-node-1.redis-headless.redis.svc:26379")
                .doesNotContainKeys("spring.data.redis.host", "spring.data.redis.port");
        V1PodSpec pod = ((V1Deployment) KubernetesModel.validate(chart.only("Deployment"))).getSpec().getTemplate().getSpec();
        for (String variable : new String[] { "SPRING_DATA_REDIS_PASSWORD", "SPRING_DATA_REDIS_SENTINEL_PASSWORD" }) {
            V1EnvVar password = env(pod.getContainers().get(0), variable);
            assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("redis");
            assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("redis-password");
        }
        V1PodSpec withoutSentinel = ((V1Deployment) KubernetesModel.validate(RenderedChart.render("cluster.yaml")
                .only("Deployment"))).getSpec().getTemplate().getSpec();
        assertThat(withoutSentinel.getContainers().get(0).getEnv()).extracting(V1EnvVar::getName)
                .contains("SPRING_DATA_REDIS_PASSWORD").doesNotContain("SPRING_DATA_REDIS_SENTINEL_PASSWORD");
    }

    @Test
    void theKafkaValuesTurnForwardingOnWithCredentialsAndTheBrokersCaFromSecrets() {
        RenderedChart chart = RenderedChart.render("kafka.yaml");
        assertThat(bindConfigMap(chart).kafka().enabled()).isTrue();
        Map<String, Object> kafka = settings(chart, "spring.kafka.");
        assertThat(kafka).containsEntry("spring.kafka.bootstrap-servers", "my-cluster-kafka-bootstrap.kafka:9093")
                .containsEntry("spring.kafka.security.protocol", "SASL_SSL")
                .containsEntry("spring.kafka.properties.sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("spring.kafka.ssl.bundle", "kafka");
        assertThat(kafka.get("spring.kafka.properties.sasl.jaas.config")).as("credentials only as placeholders")
                .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"${KAFKA_SASL_USERNAME}\" password=\"${KAFKA_SASL_PASSWORD}\";");
        assertThat(settings(chart, "spring.ssl.bundle.pem.kafka.")).containsEntry(
                "spring.ssl.bundle.pem.kafka.truststore.certificate", "file:/app/kafka-ca/ca.crt");

        V1PodSpec pod = ((V1Deployment) KubernetesModel.validate(chart.only("Deployment"))).getSpec().getTemplate().getSpec();
        V1EnvVar user = env(pod.getContainers().get(0), "KAFKA_SASL_USERNAME");
        V1EnvVar password = env(pod.getContainers().get(0), "KAFKA_SASL_PASSWORD");
        assertThat(user.getValueFrom().getSecretKeyRef().getName()).isEqualTo("gateway-kafka-user");
        assertThat(user.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("username");
        assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("secret");
        assertThat(pod.getVolumes()).extracting((volume) -> (volume.getSecret() != null) ? volume.getSecret().getSecretName() : "")
                .contains("my-cluster-cluster-ca-cert");
        assertThat(pod.getContainers().get(0).getVolumeMounts()).anySatisfy((mount) ->
                assertThat(mount.getMountPath()).isEqualTo("/app/kafka-ca"));
    }

    @Test
    void oneReplicaWithoutClusterHasNoAntiAffinityAndNoRedisSettings() {
        RenderedChart chart = RenderedChart.render(null);
        assertThat(bindConfigMap(chart).cluster().enabled()).isFalse();
        assertThat(redisSettings(chart)).isEmpty();
        V1Deployment deployment = (V1Deployment) KubernetesModel.validate(chart.only("Deployment"));
        assertThat(deployment.getSpec().getTemplate().getSpec().getAffinity()).isNull();
    }

    /** The spring.data.redis.* properties of the rendered application.yml. */
    private static Map<String, Object> redisSettings(RenderedChart chart) {
        return settings(chart, "spring.data.redis.");
    }

    /** The properties of the rendered application.yml whose names start with {@code prefix}. */
    private static Map<String, Object> settings(RenderedChart chart, String prefix) {
        V1ConfigMap configMap = (V1ConfigMap) KubernetesModel.validate(chart.only("ConfigMap"));
        try {
            Map<String, Object> settings = new TreeMap<>();
            for (var source : new YamlPropertySourceLoader().load("application.yml",
                    new ByteArrayResource(configMap.getData().get("application.yml").getBytes(StandardCharsets.UTF_8)))) {
                var enumerable = (EnumerablePropertySource<?>) source;
                for (String name : enumerable.getPropertyNames()) {
                    if (name.startsWith(prefix)) {
                        Object value = enumerable.getProperty(name);
                        settings.put(name, (value instanceof OriginTrackedValue tracked)
                                ? tracked.getValue() : value);
                    }
                }
            }
            return settings;
        }
        catch (IOException ex) {
            throw new AssertionError("application.yml in the ConfigMap does not parse", ex);
        }
    }

    private static String checksum(RenderedChart chart) {
        V1Deployment deployment = (V1Deployment) KubernetesModel.validate(chart.only("Deployment"));
        return deployment.getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config");
    }

    /** Binds the rendered application.yml exactly as the gateway does, validation included. */
    private static GatewayProperties bindConfigMap(RenderedChart chart) {
        V1ConfigMap configMap = (V1ConfigMap) KubernetesModel.validate(chart.only("ConfigMap"));
        String yaml = configMap.getData().get("application.yml");
        return GatewayConfig.bindYaml(new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static Integer containerPort(V1Container container, String name) {
        return container.getPorts().stream().filter((port) -> name.equals(port.getName()))
                .map(V1ContainerPort::getContainerPort).findFirst().orElseThrow(() -> new AssertionError("no port " + name));
    }

    private static V1EnvVar env(V1Container container, String name) {
        List<V1EnvVar> env = container.getEnv();
        return env.stream().filter((variable) -> name.equals(variable.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name));
    }
}
