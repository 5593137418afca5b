package io.tcpgateway.principal;

import io.tcpgateway.config.PrincipalsProperties;
import org.jspecify.annotations.Nullable;

/**
 * The bounds of one queue (CONTRACT section 14), and the refusals that name them: both stores check the same
 * two numbers, the one in the process in Java, Redis's in a script.
 */
public record QueueBounds(int maxMessages, int maxBytes) {

    public static QueueBounds of(PrincipalsProperties.Queue queue) {
        return new QueueBounds(queue.maxMessages(), queue.maxBytes());
    }

    /**
     * Why one more message of {@code bytes} cannot join a queue that holds {@code messages} of
     * {@code heldBytes}; null when it can.
     */
    public @Nullable String refusal(String principal, String listener, int messages, long heldBytes, int bytes) {
        if (messages + 1 > maxMessages) {
            return "the queue of '" + principal + "' " + on(listener) + " holds gateway.principals.queue.max-messages ("
                    + maxMessages + ") already";
        }
        if (heldBytes + bytes > maxBytes) {
            return "the queue of '" + principal + "' " + on(listener) + " holds " + heldBytes + " bytes and the message has "
                    + bytes + ": over gateway.principals.queue.max-bytes (" + maxBytes + ")";
        }
        return null;
    }

    private static String on(String listener) {
        return PrincipalQueue.ANY_LISTENER.equals(listener) ? "for any listener" : "on listener '" + listener + "'";
    }
}
