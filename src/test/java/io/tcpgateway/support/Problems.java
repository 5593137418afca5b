package io.tcpgateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpgateway.support.AdminClient.Response;
import tools.jackson.databind.JsonNode;

/** CONTRACT section 6: every 4xx and 5xx answer is an RFC 9457 problem whose detail says what was wrong. */
public final class Problems {

    private Problems() {
    }

    /** The answer is a problem with this status and a detail containing {@code detail}. */
    public static void assertProblem(Response response, int status, String detail) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).as(response.body()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.at("/status").asInt()).isEqualTo(status);
        assertThat(problem.at("/title").asString()).isNotBlank();
        assertThat(problem.at("/detail").asString()).contains(detail);
    }
}
