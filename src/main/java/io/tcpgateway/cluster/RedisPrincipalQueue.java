package io.tcpgateway.cluster;

import io.tcpgateway.principal.PrincipalMetrics;
import io.tcpgateway.principal.PrincipalQueue;
import io.tcpgateway.principal.QueueBounds;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import tools.jackson.databind.json.JsonMapper;

/**
 * The offline queue in Redis (CONTRACT section 14, with {@code gateway.cluster.enabled}): kept across restarts,
 * seen by every pod. One list per principal, {@code <prefix>:queue:<principal>}, holding every listener's
 * messages in the order queued as {@code {"l":listener,"e":expires-at,"b":bytes,"m":message}}; the list
 * expires an hour after its last message would. Each change is one Lua script, so the check of the bounds and
 * the append are one step, and a take removes exactly what it returns: two pods taking the login of one
 * principal at the same moment never deliver a message twice. The sweep runs on one pod at a time (the one
 * holding {@code <prefix>:sweep}) and leaves the count for every pod's gauge in {@code <prefix>:queued}.
 */
final class RedisPrincipalQueue implements PrincipalQueue {

    /** Drops the expired messages, checks the bounds of the listener's queue, and appends: {ok, expired, held, bytes}. */
    private static final RedisScript<List> OFFER = RedisScript.of("""
            local now, listener = tonumber(ARGV[4]), ARGV[2]
            local expired, held, heldBytes, latest = 0, 0, 0, tonumber(ARGV[8])
            for _, raw in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
              local e = cjson.decode(raw)
              if e.e <= now then
                redis.call('LREM', KEYS[1], 1, raw)
                expired = expired + 1
              else
                if e.l == listener then held = held + 1; heldBytes = heldBytes + e.b end
                if e.e > latest then latest = e.e end
              end
            end
            if held + 1 > tonumber(ARGV[5]) or heldBytes + tonumber(ARGV[7]) > tonumber(ARGV[6]) then
              return {0, expired, held, heldBytes}
            end
            redis.call('RPUSH', KEYS[1], ARGV[3])
            redis.call('PEXPIREAT', KEYS[1], latest + 3600000)
            redis.call('SADD', KEYS[2], ARGV[1])
            return {1, expired, held, heldBytes}
            """, List.class);

    /** Removes and returns the messages of the listener and of any listener, in order: {expired, message...}. */
    private static final RedisScript<List> TAKE = RedisScript.of("""
            local now, listener = tonumber(ARGV[3]), ARGV[2]
            local items = redis.call('LRANGE', KEYS[1], 0, -1)
            local out, keep, expired, latest = {'0'}, {}, 0, 0
            for _, raw in ipairs(items) do
              local e = cjson.decode(raw)
              if e.e <= now then
                expired = expired + 1
              elseif e.l == listener or e.l == '*' then
                out[#out + 1] = e.m
              else
                keep[#keep + 1] = raw
                if e.e > latest then latest = e.e end
              end
            end
            out[1] = tostring(expired)
            if #keep == #items then return out end
            redis.call('DEL', KEYS[1])
            if #keep > 0 then
              redis.call('RPUSH', KEYS[1], unpack(keep))
              redis.call('PEXPIREAT', KEYS[1], latest + 3600000)
            else
              redis.call('SREM', KEYS[2], ARGV[1])
            end
            return out
            """, List.class);

    /** Removes the expired messages; with {@code ARGV[3] == 'drop'} all of them: {expired, remaining (or dropped)}. */
    private static final RedisScript<List> PRUNE = RedisScript.of("""
            local now = tonumber(ARGV[2])
            local expired, remaining = 0, 0
            for _, raw in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
              local e = cjson.decode(raw)
              if e.e <= now then
                redis.call('LREM', KEYS[1], 1, raw)
                expired = expired + 1
              else
                remaining = remaining + 1
              end
            end
            if remaining == 0 or ARGV[3] == 'drop' then
              redis.call('DEL', KEYS[1])
              redis.call('SREM', KEYS[2], ARGV[1])
            end
            return {expired, remaining}
            """, List.class);

    /** Counts the messages not expired, changing nothing. */
    private static final RedisScript<Long> COUNT = RedisScript.of("""
            local now, count = tonumber(ARGV[1]), 0
            for _, raw in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
              if cjson.decode(raw).e > now then count = count + 1 end
            end
            return count
            """, Long.class);

    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final ClusterChannels channels;
    private final QueueBounds bounds;
    private final Clock clock;
    private final PrincipalMetrics metrics;
    private volatile long lastCount;

    RedisPrincipalQueue(StringRedisTemplate redis, JsonMapper json, ClusterChannels channels, QueueBounds bounds, Clock clock,
            PrincipalMetrics metrics) {
        this.redis = redis;
        this.json = json;
        this.channels = channels;
        this.bounds = bounds;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** One message as the list holds it (short names: a queue of a hundred small messages stays small). */
    record Stored(String l, long e, int b, String m) {
    }

    @Override
    public @Nullable String offer(String principal, String listener, String message, Duration ttl) {
        int bytes = message.getBytes(StandardCharsets.UTF_8).length;
        long now = clock.millis();
        String entry = json.writeValueAsString(new Stored(listener, now + ttl.toMillis(), bytes, message));
        List<?> result = redis(() -> redis.execute(OFFER, keys(principal), principal, listener, entry, String.valueOf(now),
                String.valueOf(bounds.maxMessages()), String.valueOf(bounds.maxBytes()), String.valueOf(bytes),
                String.valueOf(now + ttl.toMillis())));
        metrics.expired(number(result, 1));
        if (number(result, 0) == 1) {
            return null;
        }
        return bounds.refusal(principal, listener, (int) number(result, 2), number(result, 3), bytes);
    }

    @Override
    public List<String> take(String principal, String listener) {
        List<?> result = redis(() -> redis.execute(TAKE, keys(principal), principal, listener,
                String.valueOf(clock.millis())));
        metrics.expired(number(result, 0));
        List<String> messages = new ArrayList<>(result.size() - 1);
        for (int i = 1; i < result.size(); i++) {
            messages.add(String.valueOf(result.get(i)));
        }
        return messages;
    }

    @Override
    public int count(String principal) {
        Long count = redis(() -> redis.execute(COUNT, List.of(channels.queue(principal)), String.valueOf(clock.millis())));
        return (count == null) ? 0 : count.intValue();
    }

    @Override
    public int drop(String principal) {
        List<?> result = prune(principal, "drop");
        metrics.expired(number(result, 0));
        return (int) number(result, 1);
    }

    /**
     * On the pod that holds the sweep for this round: every queue's expired messages dropped and counted, and the
     * total left for the other pods' gauges; on the others, that total read.
     */
    @Override
    public void sweep() {
        Boolean mine = redis(() -> redis.opsForValue().setIfAbsent(channels.sweepLock(), channels.nodeId(),
                Duration.ofSeconds(4)));
        if (!Boolean.TRUE.equals(mine)) {
            String count = redis(() -> redis.opsForValue().get(channels.queuedCount()));
            lastCount = (count != null) ? Long.parseLong(count) : 0;
            return;
        }
        long remaining = 0;
        try (Cursor<String> principals = redis.opsForSet().scan(channels.queues(), ScanOptions.scanOptions().count(500).build())) {
            while (principals.hasNext()) {
                List<?> result = prune(principals.next(), "expired");
                metrics.expired(number(result, 0));
                remaining += number(result, 1);
            }
        }
        catch (RuntimeException redisFailure) {
            throw unavailable(redisFailure);
        }
        long total = remaining;
        redis(() -> {
            redis.opsForValue().set(channels.queuedCount(), String.valueOf(total));
            return null;
        });
        lastCount = total;
    }

    @Override
    public long size() {
        return lastCount;
    }

    private List<?> prune(String principal, String what) {
        return redis(() -> redis.execute(PRUNE, keys(principal), principal, String.valueOf(clock.millis()), what));
    }

    private List<String> keys(String principal) {
        return List.of(channels.queue(principal), channels.queues());
    }

    private static long number(@Nullable List<?> result, int index) {
        return (result != null && result.size() > index) ? Long.parseLong(String.valueOf(result.get(index))) : 0;
    }

    private static <T> T redis(Supplier<T> call) {
        try {
            return call.get();
        }
        catch (RuntimeException redisFailure) {
            throw unavailable(redisFailure);
        }
    }

    private static Unavailable unavailable(RuntimeException redisFailure) {
        return new Unavailable("Redis cannot be reached (" + ClusterFrames.rootMessage(redisFailure) + ")", redisFailure);
    }
}
