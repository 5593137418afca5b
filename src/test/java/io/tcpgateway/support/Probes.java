package io.tcpgateway.support;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;

/** The health probes as the kubelet sends them: no credentials, a fresh connection and a one-second timeout each time. */
public final class Probes {

    private Probes() {
    }

    /** The status of {@code /actuator/health/readiness}; -1 when the probe could not get an answer in time. */
    public static int readiness(int httpPort) {
        return status(httpPort, "/actuator/health/readiness");
    }

    /** The status of {@code /actuator/health/liveness}; -1 when the probe could not get an answer in time. */
    public static int liveness(int httpPort) {
        return status(httpPort, "/actuator/health/liveness");
    }

    private static int status(int httpPort, String path) {
        try {
            HttpURLConnection probe = (HttpURLConnection) URI.create("http://127.0.0.1:" + httpPort + path).toURL().openConnection();
            probe.setConnectTimeout(1000);
            probe.setReadTimeout(1000);
            try {
                return probe.getResponseCode();
            }
            finally {
                probe.disconnect();
            }
        }
        catch (IOException timedOut) {
            return -1; // a probe that hangs is retried, as the kubelet's next probe would be
        }
    }
}
