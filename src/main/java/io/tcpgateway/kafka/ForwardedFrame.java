package io.tcpgateway.kafka;

/**
 * A frame on its way to Kafka, carried by its record ({@link FrameRecords.FrameRecord}) to the producer listener:
 * its connection's stream, its number there, its size, and the reader that sent it (a failure reported on that very
 * thread was thrown to it too, and the reader decides: retry or refuse).
 */
record ForwardedFrame(ForwardStream stream, ForwardingListener listener, long sequence, int bytes, Thread sender) {
}
