package io.tcpgateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tcpgateway.auth.TokenVerifier.Verdict;
import io.tcpgateway.support.GatewayConfig;
import io.tcpgateway.support.TestCertificates;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/** CONTRACT section 11's token rules without sockets: static hashes, JWT shape routing, a missing decoder. */
class TokenVerifierTest {

    final StaticListableBeanFactory noBeans = new StaticListableBeanFactory();

    @Test
    void aStaticTokenIsFoundByItsHashAndNamesItsPrincipal() {
        TokenVerifier verifier = new TokenVerifier(GatewayConfig.bindWithDefaults(Map.of(
                "gateway.auth.tokens.device-a", TestCertificates.sha256Hex("alpha"), "gateway.auth.tokens.device-b", TestCertificates.sha256Hex("beta").toUpperCase())),
                noBeans.getBeanProvider(JwtDecoder.class));
        assertThat(verifier.verify("alpha")).isEqualTo(new Verdict.Accepted("device-a"));
        assertThat(verifier.verify("beta")).as("hex in either case").isEqualTo(new Verdict.Accepted("device-b"));
        assertThat(verifier.verify("gamma")).isInstanceOf(Verdict.Refused.class);
        assertThat(verifier.verify("")).isEqualTo(new Verdict.Refused("empty token"));
        assertThat(((Verdict.Refused) verifier.verify("alpha ")).why()).as("never the token itself").doesNotContain("alpha");
    }

    @Test
    void withJwtsOffATokenShapedLikeAJwtIsCheckedAsAStaticToken() {
        String jwtShaped = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln";
        TokenVerifier verifier = new TokenVerifier(GatewayConfig.bindWithDefaults(Map.of(
                "gateway.auth.tokens.odd", TestCertificates.sha256Hex(jwtShaped))), noBeans.getBeanProvider(JwtDecoder.class));
        assertThat(verifier.verify(jwtShaped)).isEqualTo(new Verdict.Accepted("odd"));
    }

    @Test
    void jwtsEnabledWithoutADecoderStopStartUpSayingWhatToSet() {
        assertThatThrownBy(() -> new TokenVerifier(GatewayConfig.bindWithDefaults(Map.of("gateway.auth.jwt.enabled", "true")),
                noBeans.getBeanProvider(JwtDecoder.class)))
                .hasMessageContaining("gateway.auth.jwt.enabled")
                .hasMessageContaining("spring.security.oauth2.resourceserver.jwt.public-key-location");
    }
}
