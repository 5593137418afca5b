package io.tcpgateway.cluster;

import io.tcpgateway.config.ClusterProperties;

/**
 * The Redis channel names, all under {@code gateway.cluster.channel-prefix}:
 * <ul>
 * <li>{@code <prefix>:frames:<listener>}: broadcast frames of one listener;</li>
 * <li>{@code <prefix>:admin}: admin calls for every pod (broadcast);</li>
 * <li>{@code <prefix>:admin:<node>}: admin calls for one pod;</li>
 * <li>{@code <prefix>:reply:<node>}: answers to the admin calls a pod made.</li>
 * </ul>
 */
record ClusterChannels(String prefix, String nodeId) {

    static ClusterChannels of(ClusterProperties cluster) {
        return new ClusterChannels(cluster.channelPrefix(), cluster.nodeId());
    }

    String frames(String listener) {
        return prefix + ":frames:" + listener;
    }

    String listenerOf(String framesChannel) {
        return framesChannel.substring((prefix + ":frames:").length());
    }

    boolean isFrames(String channel) {
        return channel.startsWith(prefix + ":frames:");
    }

    String adminAll() {
        return prefix + ":admin";
    }

    String adminFor(String node) {
        return prefix + ":admin:" + node;
    }

    String repliesFor(String node) {
        return prefix + ":reply:" + node;
    }

    boolean isReply(String channel) {
        return channel.startsWith(prefix + ":reply:");
    }
}
