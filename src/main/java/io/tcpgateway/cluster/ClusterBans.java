package io.tcpgateway.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tcpgateway.ban.Ban;
import io.tcpgateway.ban.BanChange;
import io.tcpgateway.ban.BanList;
import io.tcpgateway.ban.BanReason;
import io.tcpgateway.ban.BanTarget;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bans across pods (CONTRACT section 12): a ban made or lifted on this pod is written to the Redis
 * hash {@code <prefix>:bans} (address → until and reason) and published on the channel of the same
 * name; every other pod applies what it hears, and a pod reads the hash when it joins, so a pod
 * started later enforces the bans already in force. Each pod ends a ban by itself when its time is up;
 * ended bans are removed from the hash by the next pod that reads it. All Redis work runs on one thread
 * of its own, so the reader that trips a flapping ban never waits on Redis; what cannot be sent is
 * counted in {@code gateway.cluster.bans.failures} and logged.
 *
 * <p>A pod cut off from Redis (Redis down, the network, a Sentinel failover) misses what happened meanwhile.
 * When it is back ({@link #resync}, from {@link ClusterResync}) it first sends, in order, the bans and lifts it
 * made and could not send, then reads the hash again: bans made elsewhere meanwhile are applied, and a ban it
 * had heard from another pod that is no longer in the hash (lifted, or ended, while it was away) is lifted here
 * too. Bans this pod made itself are never lifted that way: they are in the hash unless their write is still
 * waiting on this same thread.
 */
final class ClusterBans implements ApplicationListener<BanChange>, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ClusterBans.class);

    /** Deletes a hash field only if it still holds the value read (no other pod re-banned it meanwhile). */
    private static final RedisScript<Long> DELETE_IF_UNCHANGED = RedisScript.of(
            "if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0",
            Long.class);

    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final ClusterChannels channels;
    private final BanList bans;
    private final Counter failures;
    private final ThreadPoolExecutor outbox = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(10_000), new CustomizableThreadFactory("cluster-bans-"), new ThreadPoolExecutor.AbortPolicy());
    private final AtomicBoolean warnedAboutForeignMessages = new AtomicBoolean();
    /** This pod's changes that could not be sent, the latest per address, in order: sent again on {@link #resync}. */
    private final Map<String, BanChange> unsent = Collections.synchronizedMap(new LinkedHashMap<>());
    /** Addresses banned here because another pod said so (a message or the hash), not by this pod. */
    private final Set<String> heard = ConcurrentHashMap.newKeySet();

    ClusterBans(StringRedisTemplate redis, JsonMapper json, ClusterChannels channels, BanList bans, MeterRegistry meters) {
        this.redis = redis;
        this.json = json;
        this.channels = channels;
        this.bans = bans;
        this.failures = Counter.builder("gateway.cluster.bans.failures")
                .description("Bans and lifts that could not be sent to the other pods (Redis down or slow)").register(meters);
    }

    /** A ban as it travels: made ({@code until} and {@code reason} set) or lifted. */
    record Message(String op, String address, @Nullable String until, @Nullable String reason, boolean closeOpen, String from) {

        static final String BAN = "ban";
        static final String LIFT = "lift";
    }

    /** A ban as the hash keeps it, under its address. */
    record Stored(String until, String reason) {
    }

    @Override
    public void onApplicationEvent(BanChange change) {
        if (!change.fromThisPod()) {
            return; // heard from another pod: it told everyone already
        }
        heard.remove(change.ban().target().toString()); // this pod's own from now on
        try {
            outbox.execute(() -> send(change));
        }
        catch (RejectedExecutionException full) {
            failed(change, "too many bans waiting for Redis");
        }
    }

    private void send(BanChange change) {
        Ban ban = change.ban();
        String address = ban.target().toString();
        try {
            if (change.isLifted()) {
                redis.opsForHash().delete(channels.bans(), address);
                publish(new Message(Message.LIFT, address, null, null, false, channels.nodeId()));
            }
            else {
                redis.opsForHash().put(channels.bans(), address,
                        json.writeValueAsString(new Stored(ban.until().toString(), ban.reason().tag())));
                publish(new Message(Message.BAN, address, ban.until().toString(), ban.reason().tag(), change.closeOpen(),
                        channels.nodeId()));
            }
        }
        catch (RuntimeException redisFailure) {
            failed(change, ClusterFrames.rootMessage(redisFailure));
        }
    }

    private void publish(Message message) {
        redis.convertAndSend(channels.bans(), json.writeValueAsString(message));
    }

    private void failed(BanChange change, String why) {
        failures.increment();
        String address = change.ban().target().toString();
        synchronized (unsent) {
            unsent.remove(address); // the latest change goes last
            unsent.put(address, change);
        }
        log.warn("Cluster: the {} of {} could not be sent to the other pods ({}); it holds on this pod and is sent when "
                + "Redis is back", change.isLifted() ? "lift" : "ban", address, why);
    }

    /** A message on the bans channel; runs on the subscription's thread and never waits on Redis. */
    void received(String body) {
        try {
            Message message = json.readValue(body, Message.class);
            if (message.from().equals(channels.nodeId())) {
                return; // our own
            }
            BanTarget target = BanTarget.parse(message.address());
            if (Message.LIFT.equals(message.op())) {
                heard.remove(target.toString());
                bans.liftFromCluster(target, message.from());
            }
            else if (Message.BAN.equals(message.op()) && message.until() != null && message.reason() != null) {
                heard.add(target.toString());
                bans.apply(new Ban(target, Instant.parse(message.until()), BanReason.ofTag(message.reason())),
                        message.closeOpen(), "from pod " + message.from());
            }
        }
        catch (RuntimeException notOurs) {
            if (warnedAboutForeignMessages.compareAndSet(false, true)) {
                log.warn("Cluster: ignored a message on {} that is not a gateway ban ({}); further ones are logged at "
                        + "debug level", channels.bans(), ClusterFrames.rootMessage(notOurs));
            }
            else {
                log.debug("Cluster: ignored a message on {} ({})", channels.bans(), ClusterFrames.rootMessage(notOurs));
            }
        }
    }

    /** Applies the bans the hash holds (a pod joining); removes those that have ended. On the outbox thread. */
    void loadStored() {
        try {
            outbox.execute(() -> readHash());
        }
        catch (RejectedExecutionException full) {
            log.warn("Cluster: could not read the bans in force: too much waiting for Redis");
        }
    }

    /**
     * The pod is connected to Redis again after it could not reach it: sends what it could not, then reads the
     * hash and lifts the bans heard from other pods that are gone from it. On the outbox thread, after every change
     * queued before.
     */
    void resync() {
        try {
            outbox.execute(() -> {
                List<BanChange> again;
                synchronized (unsent) {
                    again = List.copyOf(unsent.values());
                    unsent.clear();
                }
                again.forEach(this::send); // one that fails again is unsent again, and the hash is left as it is
                if (!unsent.isEmpty()) {
                    return;
                }
                Set<String> stored = readHash();
                if (stored != null) {
                    for (String address : heard) {
                        if (!stored.contains(address) && heard.remove(address)) {
                            bans.liftFromCluster(BanTarget.parse(address), "(lifted or ended while this pod could not reach Redis)");
                        }
                    }
                }
            });
        }
        catch (RejectedExecutionException full) {
            log.warn("Cluster: could not re-read the bans in force: too much waiting for Redis");
        }
    }

    /** Applies the bans in the hash this pod does not hold already; the addresses in it, or null when unreadable. */
    private @Nullable Set<String> readHash() {
        try {
            Map<Object, Object> stored = redis.opsForHash().entries(channels.bans());
            long now = System.currentTimeMillis();
            Map<String, Instant> held = new HashMap<>();
            bans.active().forEach((ban) -> held.put(ban.target().toString(), ban.until()));
            Set<String> addresses = new HashSet<>();
            stored.forEach((field, value) -> {
                try {
                    Stored entry = json.readValue(String.valueOf(value), Stored.class);
                    Ban ban = new Ban(BanTarget.parse(String.valueOf(field)), Instant.parse(entry.until()),
                            BanReason.ofTag(entry.reason()));
                    if (ban.until().toEpochMilli() > now) {
                        addresses.add(ban.target().toString());
                        if (!ban.until().equals(held.get(ban.target().toString()))) {
                            heard.add(ban.target().toString());
                            bans.apply(ban, false, "stored in Redis");
                        }
                    }
                    else {
                        redis.execute(DELETE_IF_UNCHANGED, List.of(channels.bans()), String.valueOf(field),
                                String.valueOf(value));
                    }
                }
                catch (RuntimeException unreadable) {
                    log.warn("Cluster: ignored an unreadable ban {} in {} ({})", field, channels.bans(),
                            ClusterFrames.rootMessage(unreadable));
                }
            });
            return addresses;
        }
        catch (RuntimeException redisFailure) {
            log.warn("Cluster: could not read the bans in force ({}); new bans still arrive",
                    ClusterFrames.rootMessage(redisFailure));
            return null;
        }
    }

    @Override
    public void destroy() {
        outbox.shutdownNow();
    }
}
