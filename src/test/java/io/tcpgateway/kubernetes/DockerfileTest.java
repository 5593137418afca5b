package io.tcpgateway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the image must be, read from the Dockerfile (no Docker engine here to build it; CI lints it
 * with dockerfile-utils, see .ci/lint-dockerfile).
 */
class DockerfileTest {

    final List<String> lines = read();

    @Test
    void buildsWithTheJdkAndRunsOnTheJreOf25() {
        assertThat(instructions("FROM")).satisfiesExactly(
                (build) -> assertThat(build).matches("eclipse-temurin:25-jdk@sha256:[0-9a-f]{64} AS build"),
                (run) -> assertThat(run).matches("eclipse-temurin:25-jre@sha256:[0-9a-f]{64}"));
        assertThat(String.join("\n", lines)).contains("./mvnw -B -ntp package")
                .contains("-Djarmode=tools -jar target/tcp-gateway.jar extract --layers");
    }

    @Test
    void runsAsANonRootUserFromSpringBootLayers() {
        assertThat(instructions("USER")).containsExactly("10001:10001");
        assertThat(instructions("COPY")).filteredOn((copy) -> copy.startsWith("--from=build"))
                .containsExactly("--from=build /layers/dependencies/ ./", "--from=build /layers/spring-boot-loader/ ./",
                        "--from=build /layers/snapshot-dependencies/ ./", "--from=build /layers/application/ ./");
        assertThat(instructions("WORKDIR")).last().isEqualTo("/app"); // so /app/config/application.yml is read
    }

    @Test
    void exposesTheDefaultPortsAndStartsInExecFormWithContainerAwareMemory() {
        assertThat(instructions("EXPOSE")).containsExactly("9000 8081");
        assertThat(instructions("ENTRYPOINT")).singleElement().asString().startsWith("[\"java\"")
                .contains("\"-XX:AOTCache=app.aot\"").contains("\"-jar\", \"tcp-gateway.jar\"");
        assertThat(instructions("ENV")).anySatisfy((env) -> assertThat(env).contains("-XX:MaxRAMPercentage="));
    }

    /** Issue 15, fast start: a training run in the image makes the AOT cache every start maps. */
    @Test
    void theImageCarriesAnAotCacheMadeByATrainingRunWithTheRuntimeFlags() {
        String dockerfile = String.join("\n", lines);
        assertThat(dockerfile).contains("RUN java -XX:AOTCacheOutput=app.aot -Dspring.context.exit=onRefresh -jar tcp-gateway.jar");
        assertThat(dockerfile.indexOf("ENV JAVA_TOOL_OPTIONS")).as("the training run sees the runtime's JVM flags")
                .isLessThan(dockerfile.indexOf("-XX:AOTCacheOutput"));
        assertThat(dockerfile.indexOf("-XX:AOTCacheOutput")).as("trained as root, run as 10001")
                .isLessThan(dockerfile.indexOf("USER 10001"));
        assertThat(dockerfile).contains("extract --layers --destination /layers").doesNotContain("--launcher");
    }

    @Test
    void theBuildContextIsOnlyWhatTheBuildNeeds() throws IOException {
        assertThat(Files.readAllLines(Path.of(".dockerignore"))).contains("*", "!src/", "!pom.xml", "src/test/");
    }

    private List<String> instructions(String keyword) {
        return lines.stream().filter((line) -> line.startsWith(keyword + " "))
                .map((line) -> line.substring(keyword.length() + 1).trim()).toList();
    }

    private static List<String> read() {
        try {
            return Files.readAllLines(Path.of("Dockerfile"));
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
