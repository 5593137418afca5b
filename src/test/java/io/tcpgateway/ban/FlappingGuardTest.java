package io.tcpgateway.ban;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tcpgateway.support.GatewayConfig;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT section 12's counting, without sockets: over max-count within the window bans (and the
 * attempt that goes over is refused), refused attempts do not count, a window ends, failed
 * authentications ban over max-auth-failures, and a disabled detector only enforces bans.
 */
class FlappingGuardTest {

    final List<BanChange> published = new ArrayList<>();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final BanList bans = new BanList((event) -> published.add((BanChange) event), meters);

    static final InetAddress CLIENT = InetAddress.ofLiteral("203.0.113.7");
    static final InetAddress OTHER = InetAddress.ofLiteral("203.0.113.8");

    FlappingGuard guard(String... properties) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String property : properties) {
            overrides.put(property.substring(0, property.indexOf('=')), property.substring(property.indexOf('=') + 1));
        }
        return new FlappingGuard(bans, GatewayConfig.bindWithDefaults(overrides));
    }

    @Test
    void theConnectionOverMaxCountIsRefusedAndBansItsAddressForBanTime() {
        FlappingGuard guard = guard("gateway.flapping.enabled=true", "gateway.flapping.max-count=3",
                "gateway.flapping.ban-time=7m");
        for (int i = 0; i < 3; i++) {
            assertThat(guard.refuses(CLIENT)).as("connection %d", i + 1).isFalse();
        }
        assertThat(guard.refuses(OTHER)).as("counted per address").isFalse();
        assertThat(guard.refuses(CLIENT)).as("the fourth").isTrue();
        Ban ban = bans.banOf(CLIENT);
        assertThat(ban).isNotNull();
        assertThat(ban.reason()).isEqualTo(BanReason.FLAPPING);
        assertThat(Duration.between(Instant.now(), ban.until())).isBetween(Duration.ofMinutes(6), Duration.ofMinutes(7));
        assertThat(published).singleElement().satisfies((change) -> {
            assertThat(change.fromThisPod()).isTrue();
            assertThat(change.closeOpen()).as("open connections are kept").isFalse();
        });
        assertThat(meters.get("gateway.bans.issued").tag("reason", "flapping").counter().count()).isEqualTo(1);
        assertThat(meters.get("gateway.bans.active").gauge().value()).isEqualTo(1);
        for (int i = 0; i < 10; i++) {
            assertThat(guard.refuses(CLIENT)).isTrue();
        }
        assertThat(published).as("refused attempts do not ban again").hasSize(1);
    }

    @Test
    void refusedAttemptsDoNotCountAndTheCountStartsAfreshWhenTheBanEnds() {
        FlappingGuard guard = guard("gateway.flapping.enabled=true", "gateway.flapping.max-count=2");
        guard.refuses(CLIENT);
        guard.refuses(CLIENT);
        assertThat(guard.refuses(CLIENT)).isTrue();
        for (int i = 0; i < 20; i++) {
            guard.refuses(CLIENT); // while banned
        }
        assertThat(bans.lift(BanTarget.of(CLIENT))).isPresent();
        assertThat(guard.refuses(CLIENT)).as("first after the ban").isFalse();
        assertThat(guard.refuses(CLIENT)).as("second after the ban").isFalse();
        assertThat(guard.refuses(CLIENT)).as("third: over again").isTrue();
    }

    @Test
    void aWindowEndsAndCountingStartsAgain() {
        FlappingGuard guard = guard("gateway.flapping.enabled=true", "gateway.flapping.max-count=2",
                "gateway.flapping.window=100ms");
        guard.refuses(CLIENT);
        guard.refuses(CLIENT);
        await().pollDelay(Duration.ofMillis(150)).until(() -> true);
        guard.forgetEndedWindows();
        assertThat(guard.refuses(CLIENT)).as("a new window").isFalse();
        assertThat(guard.refuses(CLIENT)).isFalse();
        assertThat(guard.refuses(CLIENT)).isTrue();
    }

    @Test
    void failedAuthenticationsOverMaxAuthFailuresBan() {
        FlappingGuard guard = guard("gateway.flapping.enabled=true", "gateway.flapping.max-auth-failures=2");
        guard.authenticationFailed(CLIENT);
        guard.authenticationFailed(CLIENT);
        assertThat(bans.isBanned(CLIENT)).isFalse();
        guard.authenticationFailed(CLIENT);
        assertThat(bans.banOf(CLIENT)).extracting(Ban::reason).isEqualTo(BanReason.AUTH_FAILURES);
    }

    @Test
    void withDetectionOffOnlyBansRefuse() {
        FlappingGuard guard = guard();
        for (int i = 0; i < 100; i++) {
            assertThat(guard.refuses(CLIENT)).isFalse();
        }
        guard.authenticationFailed(CLIENT);
        bans.ban(BanTarget.parse("203.0.113.0/24"), Duration.ofMinutes(1), BanReason.ADMIN, false);
        assertThat(guard.refuses(CLIENT)).isTrue();
        assertThat(guard.refuses(InetAddress.ofLiteral("203.0.114.1"))).isFalse();
    }

    @Test
    void aBanEndsByItselfAndIsSweptOut() {
        bans.ban(BanTarget.of(CLIENT), Duration.ofMillis(50), BanReason.ADMIN, false);
        assertThat(bans.isBanned(CLIENT)).isTrue();
        await().atMost(Duration.ofSeconds(2)).until(() -> !bans.isBanned(CLIENT));
        assertThat(bans.active()).isEmpty();
        bans.expire();
        assertThat(meters.get("gateway.bans.active").gauge().value()).isZero();
        assertThat(bans.lift(BanTarget.of(CLIENT))).as("nothing left to lift").isEmpty();
    }

    @Test
    void aFloodOfFreshAddressesNeverBlindsDetection() {
        FlappingGuard guard = guard("gateway.flapping.enabled=true", "gateway.flapping.max-auth-failures=5",
                "gateway.flapping.max-tracked=1000");
        InetAddress guesser = InetAddress.ofLiteral("198.51.100.77");
        guard.refuses(guesser);
        guard.authenticationFailed(guesser);
        guard.authenticationFailed(guesser);
        for (int round = 0; round < 3; round++) { // the flood can be repeated
            for (int i = 0; i < 1500; i++) {
                assertThat(guard.refuses(address(round, i))).isFalse();
            }
            assertThat(guard.tracked()).as("bounded").isLessThanOrEqualTo(1000);
        }
        guard.authenticationFailed(guesser);
        guard.authenticationFailed(guesser);
        guard.authenticationFailed(guesser);
        assertThat(bans.isBanned(guesser)).isFalse();
        guard.authenticationFailed(guesser);
        assertThat(bans.banOf(guesser)).as("its earlier failures were kept through the flood")
                .extracting(Ban::reason).isEqualTo(BanReason.AUTH_FAILURES);
    }

    @Test
    void aFreshAddressAfterTheFloodIsCountedAndBanned() {
        FlappingGuard guard = guard("gateway.flapping.enabled=true", "gateway.flapping.max-auth-failures=3",
                "gateway.flapping.max-tracked=1000");
        for (int i = 0; i < 5000; i++) {
            guard.refuses(address(9, i));
        }
        InetAddress late = InetAddress.ofLiteral("198.51.100.99");
        for (int i = 0; i < 4; i++) {
            guard.authenticationFailed(late);
        }
        assertThat(bans.isBanned(late)).isTrue();
    }

    private static InetAddress address(int round, int i) {
        return InetAddress.ofLiteral("10." + round + "." + (i / 250) + "." + (i % 250));
    }
}
