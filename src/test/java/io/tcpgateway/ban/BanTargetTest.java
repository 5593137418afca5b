package io.tcpgateway.ban;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the API's {@code address} accepts, how it is written back, and what a ban covers. */
class BanTargetTest {

    @ParameterizedTest
    @CsvSource({
            "203.0.113.7, 203.0.113.7",
            "' 203.0.113.7 ', 203.0.113.7",
            "203.0.113.0/24, 203.0.113.0/24",
            "203.0.113.0_24, 203.0.113.0/24",
            "10.0.0.0/8, 10.0.0.0/8",
            "203.0.113.7/32, 203.0.113.7",
            "0.0.0.0/0, 0.0.0.0/0",
            "2001:db8::1, 2001:db8:0:0:0:0:0:1",
            "2001:db8::/32, 2001:db8:0:0:0:0:0:0/32",
            "2001:db8::_32, 2001:db8:0:0:0:0:0:0/32",
            "::ffff:203.0.113.7, 203.0.113.7" })
    void isWrittenBackNormalized(String given, String written) {
        assertThat(BanTarget.parse(given)).hasToString(written);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "localhost", "example.com", "203.0.113", "10", "203.0.113.256", "203.0.113.0/33",
            "2001:db8::/129", "203.0.113.0/", "203.0.113.0/x", "::1/-1", "1.2.3.4/24/8",
            "1.2.3", "01.2.3.4", "[::1]", "fe80::1%1", "00000::1", " 1.2.3.4/24x" })
    void refusesWhatIsNotAnAddressOrRangeWithoutAskingDns(String given) {
        assertThatThrownBy(() -> BanTarget.parse(given)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(given.isEmpty() ? "''" : given.substring(0, Math.min(given.length(), 5)));
    }

    @Test
    void aRangeCoversItsAddressesAndNoOthers() throws Exception {
        BanTarget range = BanTarget.parse("203.0.113.64/26");
        assertThat(range.matches(InetAddress.ofLiteral("203.0.113.64"))).isTrue();
        assertThat(range.matches(InetAddress.ofLiteral("203.0.113.127"))).isTrue();
        assertThat(range.matches(InetAddress.ofLiteral("203.0.113.63"))).isFalse();
        assertThat(range.matches(InetAddress.ofLiteral("203.0.113.128"))).isFalse();
        assertThat(range.matches(InetAddress.ofLiteral("2001:db8::1"))).as("another family").isFalse();
        assertThat(BanTarget.parse("0.0.0.0/0").matches(InetAddress.ofLiteral("198.51.100.1"))).isTrue();
        assertThat(BanTarget.parse("2001:db8::/32").matches(InetAddress.ofLiteral("2001:db8:ffff::9"))).isTrue();
        assertThat(BanTarget.parse("2001:db8::/32").matches(InetAddress.ofLiteral("2001:db9::9"))).isFalse();
        assertThat(BanTarget.parse("203.0.113.7").matches(InetAddress.ofLiteral("203.0.113.7"))).isTrue();
        assertThat(BanTarget.parse("203.0.113.7").isRange()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({ "203.0.113.9/24, 203.0.113.0/24", "203.0.113.9/0, 0.0.0.0/0", "2001:db8::1/32, 2001:db8:0:0:0:0:0:0/32" })
    void aRangeWithHostBitsSetIsRefusedNamingItsNetwork(String given, String network) {
        assertThatThrownBy(() -> BanTarget.parse(given)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host bits").hasMessageContaining("the network is " + network);
    }

    @ParameterizedTest
    @CsvSource({ "0.0.0.0/0, true", "0.0.0.0/7, true", "10.0.0.0/8, false", "::/0, true", "2001:d00::/31, true",
            "2001:db8::/32, false", "203.0.113.7, false" })
    void rangesShorterThanSlash8OrSlash32AreBroad(String given, boolean broad) {
        assertThat(BanTarget.parse(given).isBroad()).isEqualTo(broad);
    }
}
