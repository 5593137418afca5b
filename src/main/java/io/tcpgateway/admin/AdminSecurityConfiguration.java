package io.tcpgateway.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.tcpgateway.config.AdminProperties;
import io.tcpgateway.config.GatewayProperties;
import jakarta.servlet.DispatcherType;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Who may call the management server. Health (every group), info and prometheus are open, for
 * probes and scrapers; everything else needs HTTP Basic as {@code gateway.admin.username}. The API is
 * stateless and meant for {@code curl} and scripts, so there are no sessions and no CSRF tokens
 * (no browser session exists for a forged request to ride on). The TCP listeners are not affected.
 */
@Configuration(proxyBeanMethods = false)
public class AdminSecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AdminSecurityConfiguration.class);

    /**
     * Every answer of the management server, the dashboard's included: its page, script and style sheet
     * come from its own origin and it talks only to the API there; nothing inline, no eval, no frames, no
     * forms posting elsewhere. A script injected through data a client chose (a principal, say) would find
     * nothing it is allowed to do.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Bean
    SecurityFilterChain managementSecurity(HttpSecurity http, GatewayProperties properties, MeterRegistry meters)
            throws Exception {
        http.addFilterBefore(new LoginThrottle(properties.admin(), meters), BasicAuthenticationFilter.class)
                .authorizeHttpRequests((requests) -> requests
                .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll() // so a 401/404 keeps Boot's JSON body
                .requestMatchers(EndpointRequest.to("health", "info", "prometheus")).permitAll()
                .anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                .headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY)))
                .csrf((csrf) -> csrf.disable())
                .sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }

    /**
     * Basic auth checks the password on every call: bcrypt at cost 8 (14 ms a check here, the default 10
     * is 56 ms), and a password once verified is remembered for a few minutes ({@link CachingPasswordEncoder}),
     * so an operator's calls cost a digest, not a hash; wrong ones are throttled per address ({@link LoginThrottle}).
     */
    @Bean
    PasswordEncoder adminPasswordEncoder() {
        return new CachingPasswordEncoder(new BCryptPasswordEncoder(8));
    }

    @Bean
    UserDetailsService adminUser(GatewayProperties properties, PasswordEncoder encoder) {
        AdminProperties admin = properties.admin();
        String password = admin.hasPassword() ? admin.password() : generatedPassword(admin.username());
        return new InMemoryUserDetailsManager(User.withUsername(admin.username())
                .password(encoder.encode(password)).roles("ADMIN").build());
    }

    private static String generatedPassword(String username) {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        log.warn("No GATEWAY_ADMIN_PASSWORD set; the management API password for user '{}' is: {}", username, password);
        return password;
    }
}
