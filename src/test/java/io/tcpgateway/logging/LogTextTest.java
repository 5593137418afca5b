package io.tcpgateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Text a client chose, as the plain-text log writes it: one line, nothing a terminal acts on, bounded. */
class LogTextTest {

    @Test
    void plainTextIsKeptAndABackslashIsDoubled() {
        assertThat(LogText.escape("device-a")).isEqualTo("device-a");
        assertThat(LogText.escape("sensor 9 \u00fc \u2713")).isEqualTo("sensor 9 \u00fc \u2713");
        assertThat(LogText.escape("a\\nb")).as("a backslash the client wrote is not an escape").isEqualTo("a\\\\nb");
    }

    @Test
    void controlsSeparatorsAndBidiOverridesAreWrittenAsEscapes() {
        String escaped = LogText.escape("evil\r\nINFO forged\u001b[2J\t\u0000\u0085\u2028\u202e\u2066end");
        assertThat(escaped).isEqualTo("evil\\r\\nINFO forged\\u001b[2J\\t\\u0000\\u0085\\u2028\\u202e\\u2066end");
        assertThat(escaped.chars().noneMatch((c) -> LogText.isUnsafe((char) c))).isTrue();
    }

    @Test
    void longTextIsCutSayingHowMuchWasLeftOut() {
        String escaped = LogText.escape("x".repeat(10_000));
        assertThat(escaped).startsWith("x".repeat(LogText.MAX_CHARS)).endsWith("...(" + (10_000 - LogText.MAX_CHARS) + " more)");
        assertThat(escaped.length()).isLessThan(LogText.MAX_CHARS + 20);
    }
}
