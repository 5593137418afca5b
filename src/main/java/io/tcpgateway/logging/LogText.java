package io.tcpgateway.logging;

/**
 * Text a client chose, made safe for a plain-text log line: a CR or LF in a JWT's {@code sub} would
 * otherwise start a forged line of its own, and an ANSI escape would rewrite the operator's terminal.
 * Control characters, line and paragraph separators and bidirectional overrides are written as Java
 * escapes ({@code \n}, {@code \u001b}), the backslash as {@code \\} (so an escape in the log always
 * means the gateway wrote it), and the text is cut at {@link #MAX_CHARS}. Structured (ECS) logs escape
 * by themselves; their key-values carry the same escaped text.
 */
public final class LogText {

    /** Longer text is cut: a client must not choose the size of the gateway's log lines. */
    public static final int MAX_CHARS = 300;

    private LogText() {
    }

    /** {@code text} as one safe line of at most about {@link #MAX_CHARS} characters. */
    public static String escape(String text) {
        int length = Math.min(text.length(), MAX_CHARS);
        StringBuilder safe = null;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '\\' || isUnsafe(c)) {
                if (safe == null) {
                    safe = new StringBuilder(length + 16).append(text, 0, i);
                }
                appendEscaped(safe, c);
            }
            else if (safe != null) {
                safe.append(c);
            }
        }
        String result = (safe != null) ? safe.toString() : text.substring(0, length);
        return (text.length() > MAX_CHARS) ? result + "...(" + (text.length() - MAX_CHARS) + " more)" : result;
    }

    /**
     * Characters that change how a line reads rather than what it says: C0 and C1 controls (CR, LF, ESC,
     * ...), Unicode line and paragraph separators, and the bidirectional embeddings, overrides and
     * isolates that reorder what a terminal shows.
     */
    public static boolean isUnsafe(char c) {
        if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
            return true;
        }
        return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F';
    }

    private static void appendEscaped(StringBuilder out, char c) {
        switch (c) {
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> out.append(String.format("\\u%04x", (int) c));
        }
    }
}
