package io.tcpgateway.kafka;

/**
 * A frame on its way to Kafka, carried in the Spring Integration message's headers to the adapter's success and
 * failure channels: its connection's stream, its number there, its size, and the reader that sent it (a failure
 * reported on that very thread was thrown to it too, and the reader decides: retry or refuse).
 */
record ForwardedFrame(ForwardStream stream, ForwardingListener listener, long sequence, int bytes, Thread sender) {

    /** The message header that holds it. */
    static final String HEADER = "gateway_forwarded";
}
