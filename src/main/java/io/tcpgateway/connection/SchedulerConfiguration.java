package io.tcpgateway.connection;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The gateway's one scheduler: close deadlines, the heartbeat's scan. Spring Integration's
 * {@code taskScheduler} shuts down as soon as the context starts closing, before the shutdown drain;
 * the heartbeat and close deadlines must keep working through the drain (CONTRACT sections 3 and 5),
 * so this one takes tasks after the context closes and stops only after the drain and the heartbeat.
 */
@Configuration(proxyBeanMethods = false)
class SchedulerConfiguration {

    /** Below the drain's and the heartbeat's phases: stopped after both. */
    static final int PHASE = Integer.MAX_VALUE - 1024;

    @Bean(ConnectionExecutors.GATEWAY_SCHEDULER)
    ThreadPoolTaskScheduler gatewayScheduler() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setThreadNamePrefix("gateway-scheduler-");
        scheduler.setAcceptTasksAfterContextClose(true);
        scheduler.setPhase(PHASE);
        return scheduler;
    }
}
