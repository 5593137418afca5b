package io.tcpgateway.support;

/** Closing what a test class started, every one of them even when one fails to close. */
public final class Closing {

    private Closing() {
    }

    /** Closes each in order, skipping nulls (never started); a failure to close one does not stop the rest. */
    public static void all(AutoCloseable... closeables) {
        for (AutoCloseable closeable : closeables) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            }
            catch (Exception ignored) {
                // the next one is still closed
            }
        }
    }
}
