package io.tcpgateway.config;

/** What a listener does with each frame it reads. */
public enum Mode {
    /** Each frame goes back to its sender only. */
    ECHO,
    /** Each frame goes to every other open connection of the same listener. */
    BROADCAST
}
