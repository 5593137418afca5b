package io.tcpgateway.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code ./mvnw} on a machine whose default Java is older than 25: it finds a JDK 25 in the usual
 * folders, or says in one line what it needs, where it looked and how to point it at one.
 */
class MavenWrapperTest {

    @Test
    void withoutAJdk25ItSaysWhatItNeedsWhereItLookedAndWhatToDo() throws Exception {
        Result result = mvnw(Map.of("MVNW_JDK_DIRS", "/nonexistent/jdks/*"));
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output().strip().lines()).as("one line").hasSize(1);
        assertThat(result.output()).contains("needs a JDK 25 or newer").contains("/nonexistent/jdks/*")
                .contains("JAVA_HOME=/path/to/jdk-25 ./mvnw verify").doesNotContain("Unrecognized option");
    }

    @Test
    void itTakesAJdk25FromTheFoldersItSearches() throws Exception {
        Path thisJdk = Path.of(System.getProperty("java.home"));
        Result result = mvnw(Map.of("MVNW_JDK_DIRS", thisJdk.toString()));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Java version: " + Runtime.version().feature());
    }

    private static Result mvnw(Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "mvnw", "-v").redirectErrorStream(true);
        builder.environment().remove("JAVA_HOME"); // as on a machine where nobody set it
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private record Result(int exitCode, String output) {
    }
}
