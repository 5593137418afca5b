package io.tcpgateway.principal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The offline queue in the process (without the cluster): lost when the process stops, as the docs say. One
 * list per principal holding every listener's messages in the order queued; each change to a principal's list
 * runs inside the map's compute for that principal, so a take is atomic. Besides each queue's bounds, every
 * queue together holds at most {@code max-total-bytes}.
 */
public final class MemoryPrincipalQueue implements PrincipalQueue {

    private final Map<String, Deque<Entry>> queues = new ConcurrentHashMap<>();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final QueueBounds bounds;
    private final long maxTotalBytes;
    private final Clock clock;
    private final PrincipalMetrics metrics;

    public MemoryPrincipalQueue(QueueBounds bounds, long maxTotalBytes, Clock clock, PrincipalMetrics metrics) {
        this.bounds = bounds;
        this.maxTotalBytes = maxTotalBytes;
        this.clock = clock;
        this.metrics = metrics;
    }

    private record Entry(String listener, String message, int bytes, long expiresAt) {
    }

    @Override
    public @Nullable String offer(String principal, String listener, String message, Duration ttl) {
        int size = message.getBytes(StandardCharsets.UTF_8).length;
        long now = clock.millis();
        String[] refusal = new String[1];
        queues.compute(principal, (key, queue) -> {
            Deque<Entry> list = (queue != null) ? queue : new ArrayDeque<>();
            dropExpired(list, now);
            int held = 0;
            long heldBytes = 0;
            for (Entry entry : list) {
                if (entry.listener().equals(listener)) {
                    held++;
                    heldBytes += entry.bytes();
                }
            }
            refusal[0] = bounds.refusal(principal, listener, held, heldBytes, size);
            if (refusal[0] == null && bytes.get() + size > maxTotalBytes) {
                refusal[0] = "the gateway's queues hold gateway.principals.queue.max-total-bytes (" + maxTotalBytes
                        + " bytes) already";
            }
            if (refusal[0] == null) {
                list.addLast(new Entry(listener, message, size, now + ttl.toMillis()));
                messages.incrementAndGet();
                bytes.addAndGet(size);
            }
            return list.isEmpty() ? null : list;
        });
        return refusal[0];
    }

    @Override
    public List<String> take(String principal, String listener) {
        long now = clock.millis();
        List<String> taken = new ArrayList<>();
        queues.computeIfPresent(principal, (key, list) -> {
            dropExpired(list, now);
            for (Iterator<Entry> it = list.iterator(); it.hasNext();) {
                Entry entry = it.next();
                if (entry.listener().equals(listener) || entry.listener().equals(ANY_LISTENER)) {
                    it.remove();
                    forget(entry);
                    taken.add(entry.message());
                }
            }
            return list.isEmpty() ? null : list;
        });
        return taken;
    }

    @Override
    public int count(String principal) {
        long now = clock.millis();
        int[] count = new int[1];
        queues.computeIfPresent(principal, (key, list) -> {
            dropExpired(list, now);
            count[0] = list.size();
            return list.isEmpty() ? null : list;
        });
        return count[0];
    }

    @Override
    public int drop(String principal) {
        long now = clock.millis();
        int[] dropped = new int[1];
        queues.computeIfPresent(principal, (key, list) -> {
            dropExpired(list, now);
            dropped[0] = list.size();
            list.forEach(this::forget);
            return null;
        });
        return dropped[0];
    }

    @Override
    public void sweep() {
        long now = clock.millis();
        for (String principal : queues.keySet()) {
            queues.computeIfPresent(principal, (key, list) -> {
                dropExpired(list, now);
                return list.isEmpty() ? null : list;
            });
        }
    }

    @Override
    public long size() {
        return messages.get();
    }

    /** Removes the expired entries of one list (the caller holds its principal), counted as expired. */
    private void dropExpired(Deque<Entry> list, long now) {
        int expired = 0;
        for (Iterator<Entry> it = list.iterator(); it.hasNext();) {
            Entry entry = it.next();
            if (entry.expiresAt() <= now) {
                it.remove();
                forget(entry);
                expired++;
            }
        }
        metrics.expired(expired);
    }

    private void forget(Entry entry) {
        messages.decrementAndGet();
        bytes.addAndGet(-entry.bytes());
    }
}
