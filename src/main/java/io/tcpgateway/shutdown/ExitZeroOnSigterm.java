package io.tcpgateway.shutdown;

import sun.misc.Signal;

/**
 * A JVM ended by SIGTERM exits with status 143 even after a clean shutdown. Kubernetes and the
 * contract treat SIGTERM as the normal way to stop, so it is turned into {@code System.exit(0)}:
 * the same shutdown hooks run (Spring closes the context, which drains), and the status is 0.
 */
public final class ExitZeroOnSigterm {

    private ExitZeroOnSigterm() {
    }

    public static void install() {
        try {
            Signal.handle(new Signal("TERM"), (signal) -> Thread.ofPlatform().name("sigterm-exit")
                    .start(() -> System.exit(0)));
        }
        catch (IllegalArgumentException | UnsupportedOperationException unsupported) {
            // no SIGTERM on this platform: the default handling stays
        }
    }
}
