package io.tcpgateway.cluster;

import io.tcpgateway.config.ClusterProperties;

/**
 * The Redis channel names, all under {@code gateway.cluster.channel-prefix}:
 * <ul>
 * <li>{@code <prefix>:frames:<listener>}: broadcast frames of one listener, one a message;</li>
 * <li>{@code <prefix>:bursts:<listener>}: the same, a sender's read burst a message ({@link FrameEnvelope});</li>
 * <li>{@code <prefix>:admin}: admin calls for every pod (broadcast);</li>
 * <li>{@code <prefix>:admin:<node>}: admin calls for one pod;</li>
 * <li>{@code <prefix>:reply:<node>}: answers to the admin calls a pod made;</li>
 * <li>{@code <prefix>:bans}: bans made and lifted on any pod.</li>
 * </ul>
 * The bans in force are also kept in the Redis hash {@code <prefix>:bans} (a key, not a channel), read by
 * a pod when it joins. Keys of principals (CONTRACT section 14): {@code <prefix>:queue:<principal>} (the list
 * of its queued messages), {@code <prefix>:queues} (the set of principals with one), {@code <prefix>:queued}
 * (their count at the last sweep), {@code <prefix>:sweep} (held by the pod sweeping),
 * {@code <prefix>:holders:<listener>:<principal>} (its connections on a listener that keeps one) and
 * {@code <prefix>:node:<node>} (there while the pod is alive).
 */
final class ClusterChannels {

    private final String prefix;
    private final String nodeId;
    // Built once: frames arrive by the thousand per second and each is matched against these.
    private final String framesPrefix;
    private final String burstsPrefix;
    private final String repliesPrefix;

    ClusterChannels(String prefix, String nodeId) {
        this.prefix = prefix;
        this.nodeId = nodeId;
        this.framesPrefix = prefix + ":frames:";
        this.burstsPrefix = prefix + ":bursts:";
        this.repliesPrefix = prefix + ":reply:";
    }

    static ClusterChannels of(ClusterProperties cluster) {
        return new ClusterChannels(cluster.channelPrefix(), cluster.nodeId());
    }

    String nodeId() {
        return nodeId;
    }

    String frames(String listener) {
        return framesPrefix + listener;
    }

    String bursts(String listener) {
        return burstsPrefix + listener;
    }

    /**
     * A {@code PSUBSCRIBE} pattern that matches the {@link #frames} channel of {@code listener} and nothing else
     * (glob characters in the prefix or the name escaped): heard without being counted by {@code PUBSUB NUMSUB}
     * ({@link OlderPods}).
     */
    String framesPattern(String listener) {
        String channel = frames(listener);
        StringBuilder pattern = new StringBuilder(channel.length() + 4);
        for (int i = 0; i < channel.length(); i++) {
            char c = channel.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                pattern.append('\\');
            }
            pattern.append(c);
        }
        return pattern.toString();
    }

    boolean isFrames(String channel) {
        return channel.startsWith(framesPrefix);
    }

    boolean isBursts(String channel) {
        return channel.startsWith(burstsPrefix);
    }

    /** The listener of a {@link #frames} or {@link #bursts} channel. */
    String listenerOf(String framesChannel) {
        return framesChannel.substring((isBursts(framesChannel) ? burstsPrefix : framesPrefix).length());
    }

    String adminAll() {
        return prefix + ":admin";
    }

    String adminFor(String node) {
        return prefix + ":admin:" + node;
    }

    String repliesFor(String node) {
        return repliesPrefix + node;
    }

    /** The channel bans travel on, and the name of the hash that holds those in force. */
    String bans() {
        return prefix + ":bans";
    }

    String queue(String principal) {
        return prefix + ":queue:" + principal;
    }

    String queues() {
        return prefix + ":queues";
    }

    String queuedCount() {
        return prefix + ":queued";
    }

    String sweepLock() {
        return prefix + ":sweep";
    }

    String holders(String listener, String principal) {
        return prefix + ":holders:" + listener + ":" + principal;
    }

    /** The key that says a pod is alive: {@code alive("")} is the prefix of every pod's. */
    String alive(String node) {
        return prefix + ":node:" + node;
    }

    boolean isReply(String channel) {
        return channel.startsWith(repliesPrefix);
    }
}
