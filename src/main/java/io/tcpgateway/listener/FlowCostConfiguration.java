package io.tcpgateway.listener;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.IdGenerator;
import org.springframework.util.SimpleIdGenerator;

/**
 * What every frame would otherwise pay for in Spring Integration, measured with JFR under the echo
 * benchmark (see docs/benchmark.md, "Tuning"): a random UUID per message id. (The per-message timers are taken
 * off the listener flows in {@link ListenerRegistrar}.)
 */
@Configuration(proxyBeanMethods = false)
class FlowCostConfiguration {

    /** Message ids only need to be unique within this process; a counter is far cheaper than random UUIDs. */
    @Bean
    IdGenerator messageIdGenerator() {
        return new SimpleIdGenerator();
    }
}
