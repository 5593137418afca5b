package io.tcpgateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.tcpgateway.support.ProxyHeaders;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PROXY protocol v1 and v2 headers as balancers send them, and everything that is not one. */
class ProxyHeaderReaderTest {

    @Test
    void v1Tcp4NamesTheClientAndLeavesTheDataInTheStream() throws IOException {
        InputStream in = stream("PROXY TCP4 203.0.113.7 10.0.0.1 51234 9000\r\nhello\n");
        assertThat(ProxyHeaderReader.read(in)).isEqualTo(client("203.0.113.7", 51234));
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello\n");
    }

    @Test
    void v1Tcp6NamesTheClient() throws IOException {
        assertThat(ProxyHeaderReader.read(stream("PROXY TCP6 2001:db8::7 2001:db8::1 40000 9000\r\n")))
                .isEqualTo(client("2001:db8::7", 40000));
    }

    @Test
    void v1UnknownKeepsTheSocketAddress() throws IOException {
        assertThat(ProxyHeaderReader.read(stream("PROXY UNKNOWN\r\n"))).isEqualTo(new ProxyHeader.Local(false));
        assertThat(ProxyHeaderReader.read(stream("PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n")))
                .isEqualTo(new ProxyHeader.Local(false));
    }

    @ParameterizedTest
    @ValueSource(strings = { "PROXY TCP4 203.0.113.7 10.0.0.1 51234\r\n", "PROXY TCP4 203.0.113.7 10.0.0.1 51234 99999\r\n",
            "PROXY TCP4 2001:db8::7 10.0.0.1 1 2\r\n", "PROXY TCP4 not-an-ip 10.0.0.1 1 2\r\n", "PROXY UDP4 1.2.3.4 1.2.3.5 1 2\r\n",
            "PROXY TCP4 203.0.113.7 10.0.0.1 51234 9000\n", "PROXY TCP4 203.0.113.7 10.0.0.1 51234 9000\rX",
            "PROXY TCP4 203.0.113.7 10.0.0.1 51234 9000", "PROXY TCP4 1.2.3 127.0.0.1 1000 2000\r\n",
            "PROXY TCP4 01.2.3.4 127.0.0.1 1000 2000\r\n", "PROXY TCP4 1.2.3.4 127.0.0.1.5 1000 2000\r\n",
            "PROXY TCP6 [2001:db8::7] 2001:db8::1 1 2\r\n", "PROXY TCP6 fe80::1%1 2001:db8::1 1 2\r\n",
            "PROXY TCP6 1.2.3.4 2001:db8::1 1 2\r\n" })
    void aBrokenV1HeaderIsInvalid(String header) {
        assertThatExceptionOfType(InvalidProxyHeaderException.class).isThrownBy(() -> ProxyHeaderReader.read(stream(header)));
    }

    @Test
    void aV1HeaderThatNeverEndsIsInvalidAfter107Bytes() {
        assertThatExceptionOfType(InvalidProxyHeaderException.class).isThrownBy(
                () -> ProxyHeaderReader.read(stream("PROXY TCP4 " + "1".repeat(200) + "\r\n"))).withMessageContaining("107");
    }

    @Test
    void v2ProxyOverIpv4NamesTheClientAndSkipsTlvs() throws IOException {
        byte[] tlvs = { 0x05, 0x00, 0x03, 'a', 'b', 'c', (byte) 0xEA, 0x00, 0x02, 0x01, 0x02 };
        ByteBuffer addresses = ByteBuffer.allocate(12 + tlvs.length).put(new byte[] { (byte) 198, 51, 100, 9 })
                .put(new byte[] { 10, 0, 0, 1 }).putShort((short) 61000).putShort((short) 9000).put(tlvs);
        InputStream in = new ByteArrayInputStream(ProxyHeaders.concat(ProxyHeaders.v2(0x21, 0x11, addresses.array()), "data".getBytes()));
        assertThat(ProxyHeaderReader.read(in)).isEqualTo(client("198.51.100.9", 61000));
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("data");
    }

    @Test
    void v2ProxyOverIpv6NamesTheClient() throws IOException {
        byte[] source = InetAddress.getByName("2001:db8::9").getAddress();
        ByteBuffer addresses = ByteBuffer.allocate(36).put(source).put(new byte[16]).putShort((short) 443).putShort((short) 9000);
        assertThat(ProxyHeaderReader.read(new ByteArrayInputStream(ProxyHeaders.v2(0x21, 0x21, addresses.array()))))
                .isEqualTo(client("2001:db8::9", 443));
    }

    @Test
    void v2LocalIsTheBalancersOwnWhateverItCarries() throws IOException {
        InputStream in = new ByteArrayInputStream(ProxyHeaders.concat(ProxyHeaders.v2(0x20, 0x11, new byte[12]), "x".getBytes()));
        assertThat(ProxyHeaderReader.read(in)).isEqualTo(new ProxyHeader.Local(true));
        assertThat(in.readAllBytes()).containsExactly('x');
    }

    @Test
    void v2ProxyOfAnUnspecifiedFamilyIsAClientAtTheSocketAddress() throws IOException {
        assertThat(ProxyHeaderReader.read(new ByteArrayInputStream(ProxyHeaders.v2(0x21, 0x00, new byte[0]))))
                .isEqualTo(new ProxyHeader.Local(false));
    }

    @Test
    void brokenV2HeadersAreInvalid() {
        assertThatExceptionOfType(InvalidProxyHeaderException.class).as("version 1")
                .isThrownBy(() -> ProxyHeaderReader.read(new ByteArrayInputStream(ProxyHeaders.v2(0x11, 0x11, new byte[12]))));
        assertThatExceptionOfType(InvalidProxyHeaderException.class).as("UDP")
                .isThrownBy(() -> ProxyHeaderReader.read(new ByteArrayInputStream(ProxyHeaders.v2(0x21, 0x12, new byte[12]))));
        assertThatExceptionOfType(InvalidProxyHeaderException.class).as("address block too short")
                .isThrownBy(() -> ProxyHeaderReader.read(new ByteArrayInputStream(ProxyHeaders.v2(0x21, 0x11, new byte[6]))));
        byte[] truncated = ProxyHeaders.v2(0x21, 0x11, new byte[12]);
        assertThatExceptionOfType(InvalidProxyHeaderException.class).as("truncated")
                .isThrownBy(() -> ProxyHeaderReader.read(new ByteArrayInputStream(Arrays.copyOf(truncated, 20))));
        byte[] huge = ProxyHeaders.concat(ProxyHeaders.V2_SIGNATURE, new byte[] { 0x21, 0x11, (byte) 0xFF, (byte) 0xFF });
        assertThatExceptionOfType(InvalidProxyHeaderException.class).as("64 KiB of TLVs")
                .isThrownBy(() -> ProxyHeaderReader.read(new ByteArrayInputStream(huge)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "PING\n", "hello\n", "PROX\n", "\r\n", "P" })
    void dataThatIsNoHeaderIsHandedBackWhole(String data) throws IOException {
        InputStream in = stream(data);
        ProxyHeader header = ProxyHeaderReader.read(in);
        assertThat(header).isInstanceOf(ProxyHeader.Absent.class);
        byte[] all = ProxyHeaders.concat(((ProxyHeader.Absent) header).firstBytes(), in.readAllBytes());
        assertThat(new String(all, StandardCharsets.US_ASCII)).isEqualTo(data);
    }

    @Test
    void aTlsClientHelloIsNoHeader() throws IOException {
        byte[] hello = { 0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5 };
        ProxyHeader header = ProxyHeaderReader.read(new ByteArrayInputStream(hello));
        assertThat(((ProxyHeader.Absent) header).firstBytes()).containsExactly(0x16);
    }

    @Test
    void aHeaderSplitIntoOneByteReadsIsReadWhole() throws IOException {
        InputStream trickle = new InputStream() {
            private final InputStream in = stream("PROXY TCP4 203.0.113.7 10.0.0.1 51234 9000\r\n");

            @Override
            public int read() throws IOException {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return in.read(b, off, Math.min(len, 1));
            }
        };
        assertThat(ProxyHeaderReader.read(trickle)).isEqualTo(client("203.0.113.7", 51234));
    }

    private static ProxyHeader client(String address, int port) throws IOException {
        return new ProxyHeader.Client(new InetSocketAddress(InetAddress.getByName(address), port));
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }
}
