package io.tcpgateway.cluster;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A Redis connection of its own for broadcast frames, made with the same settings as Spring Boot's
 * ({@code spring.data.redis.*}, Sentinel included). Frames are published pipelined, up to
 * {@code gateway.cluster.max-pending-frames} outstanding; on a connection shared with everything else a
 * broadcast flood filled that queue and Lettuce refused every other command meanwhile: a login's queued
 * messages could not be taken, a ban not be sent, an admin call not be made. Here the flood waits on itself.
 */
final class FrameConnection implements DisposableBean {

    private final RedisConnectionFactory factory;
    private final boolean own;

    private FrameConnection(RedisConnectionFactory factory, boolean own) {
        this.factory = factory;
        this.own = own;
    }

    static FrameConnection beside(RedisConnectionFactory shared) {
        if (!(shared instanceof LettuceConnectionFactory lettuce)) {
            return new FrameConnection(shared, false); // another client: shared as it is
        }
        RedisConfiguration where = (lettuce.getSentinelConfiguration() != null) ? lettuce.getSentinelConfiguration()
                : (lettuce.getClusterConfiguration() != null) ? lettuce.getClusterConfiguration()
                : lettuce.getStandaloneConfiguration();
        LettuceConnectionFactory own = new LettuceConnectionFactory(where, lettuce.getClientConfiguration());
        own.afterPropertiesSet();
        own.start();
        return new FrameConnection(own, true);
    }

    RedisConnectionFactory factory() {
        return factory;
    }

    @Override
    public void destroy() {
        if (own && factory instanceof LettuceConnectionFactory lettuce) {
            lettuce.destroy();
        }
    }
}
