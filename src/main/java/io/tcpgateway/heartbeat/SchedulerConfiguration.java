package io.tcpgateway.heartbeat;

import io.tcpgateway.shutdown.DrainLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The gateway's own scheduler. Spring Integration's {@code taskScheduler} shuts down as soon as the
 * context starts closing, before the shutdown drain; the heartbeat must keep running through the
 * drain (CONTRACT section 3), so this one takes tasks after the context closes and stops only after
 * the drain and the heartbeat have.
 */
@Configuration(proxyBeanMethods = false)
class SchedulerConfiguration {

    static final String GATEWAY_SCHEDULER = "gatewayScheduler";

    @Bean(GATEWAY_SCHEDULER)
    ThreadPoolTaskScheduler gatewayScheduler() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setThreadNamePrefix("gateway-scheduler-");
        scheduler.setAcceptTasksAfterContextClose(true);
        scheduler.setPhase(HeartbeatTask.PHASE - 1);
        return scheduler;
    }
}
