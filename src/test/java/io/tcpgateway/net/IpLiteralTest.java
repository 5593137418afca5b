package io.tcpgateway.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Address literals as RFC 791 and RFC 4291 write them; the JDK's looser forms are refused. */
class IpLiteralTest {

    @ParameterizedTest
    @CsvSource({ "0.0.0.0, 0.0.0.0", "203.0.113.7, 203.0.113.7", "255.255.255.255, 255.255.255.255",
            "::, 0:0:0:0:0:0:0:0", "::1, 0:0:0:0:0:0:0:1", "2001:db8::7, 2001:db8:0:0:0:0:0:7",
            "2001:DB8:0:0:0:0:0:7, 2001:db8:0:0:0:0:0:7", "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8", "1::, 1:0:0:0:0:0:0:0",
            "::ffff:203.0.113.7, 203.0.113.7", "64:ff9b::192.0.2.33, 64:ff9b:0:0:0:0:c000:221", "0000:0000::1, 0:0:0:0:0:0:0:1" })
    void readsWhatTheRfcsWrite(String text, String address) {
        assertThat(IpLiteral.parse(text).getHostAddress()).isEqualTo(address);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "256.1.1.1", "1.2.3.4 ", " 1.2.3.4", "0x1.2.3.4",
            "1.2.3.-4", "[::1]", "fe80::1%1", "fe80::1%eth0", "1::2::3", "00000::1", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7::8", "::1.2.3", "::01.2.3.4", "1.2.3.4::", "::1.2.3.4:1", "localhost", "::g", ":1::", "1:::2" })
    void refusesEverythingElse(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> IpLiteral.parse(text));
        assertThat(IpLiteral.isIpv4(text) || IpLiteral.isIpv6(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "1.2.3.4", "::1" })
    void neverAsksDns(String text) {
        assertThat(IpLiteral.parse(text)).isEqualTo(InetAddress.ofLiteral(text));
    }
}
