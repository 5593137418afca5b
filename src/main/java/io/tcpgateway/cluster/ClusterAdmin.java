package io.tcpgateway.cluster;

import io.tcpgateway.admin.AdminCall;
import io.tcpgateway.admin.AdminCall.OnConnection;
import io.tcpgateway.admin.AdminCall.OnEveryPod;
import io.tcpgateway.admin.AdminResult;
import io.tcpgateway.admin.LocalAdmin;
import io.tcpgateway.admin.RemoteAdmin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Admin calls between pods, request/reply over Redis pub/sub. A request goes to one pod's channel
 * (a connection call) or to every pod's (a broadcast, a call on a principal); {@code PUBLISH} answers how many pods are
 * subscribed, which is how many answers to wait for (at most {@code gateway.cluster.request-timeout}).
 * No subscriber means no such pod. Each answer is the {@link AdminResult} the other pod's
 * {@link LocalAdmin} gave, sent back on the asking pod's reply channel.
 */
final class ClusterAdmin implements RemoteAdmin, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ClusterAdmin.class);

    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final ClusterChannels channels;
    private final Duration timeout;
    private final LocalAdmin local;
    private final Map<String, BlockingQueue<Reply>> pending = new ConcurrentHashMap<>();
    // Requests from other pods run here, not on the subscription's thread: answering publishes, and a
    // blocking Redis call on the thread that delivers Redis messages could wait on itself.
    private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean warnedAboutForeignMessages = new AtomicBoolean();

    ClusterAdmin(StringRedisTemplate redis, JsonMapper json, ClusterChannels channels, Duration timeout,
            LocalAdmin local) {
        this.redis = redis;
        this.json = AdminWire.mapper(json);
        this.channels = channels;
        this.timeout = timeout;
        this.local = local;
    }

    /** A call as it travels: who asked (where the answer goes) and a correlation id. */
    record Request(String requestId, String from, AdminCall call) {
    }

    /** An answer: what the call came to on the other pod. */
    record Reply(String requestId, String from, AdminResult result) {
    }

    @Override
    public String nodeId() {
        return channels.nodeId();
    }

    /**
     * Runs a connection call on {@code node} without waiting for its answer (a login replacing a connection
     * there must not wait on that pod); a failure is logged. The answer, when it comes, finds nobody waiting.
     */
    void tell(String node, OnConnection call) {
        try {
            publish(channels.adminFor(node), new Request(UUID.randomUUID().toString(), nodeId(), call));
        }
        catch (RuntimeException redisFailure) {
            log.warn("Cluster: could not tell pod {} to {} {} ({})", node, call.getClass().getSimpleName().toLowerCase(
                    Locale.ROOT), call.id(), ClusterFrames.rootMessage(redisFailure));
        }
    }

    @Override
    public AdminResult forward(String node, OnConnection call) {
        String id = call.id();
        String requestId = UUID.randomUUID().toString();
        BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
        pending.put(requestId, replies);
        try {
            long pods = publish(channels.adminFor(node), new Request(requestId, nodeId(), call));
            if (pods == 0) {
                return new AdminResult.NotFound("no connection '" + id + "': no pod '" + node + "' in the cluster");
            }
            Reply reply = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (reply == null) {
                return new AdminResult.TimedOut("pod '" + node + "' did not answer within " + timeout.toMillis() + " ms");
            }
            return reply.result();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return new AdminResult.Unavailable("interrupted while waiting for pod '" + node + "'");
        }
        catch (RuntimeException redisFailure) {
            return new AdminResult.Unavailable("connection '" + id + "' lives on pod '" + node
                    + "', which cannot be reached: the cluster is unavailable (" + ClusterFrames.rootMessage(redisFailure) + ")");
        }
        finally {
            pending.remove(requestId);
        }
    }

    @Override
    public List<AdminResult> askOthers(OnEveryPod call) {
        String requestId = UUID.randomUUID().toString();
        BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
        pending.put(requestId, replies);
        List<AdminResult> answers = new ArrayList<>();
        try {
            long others = publish(channels.adminAll(), new Request(requestId, nodeId(), call)) - 1; // we hear it too
            long deadline = System.nanoTime() + timeout.toNanos();
            while (answers.size() < others) {
                Reply reply = replies.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (reply == null) {
                    break;
                }
                answers.add(reply.result());
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException redisFailure) {
            log.warn("Cluster: {} reached this pod only ({})", call.getClass().getSimpleName(),
                    ClusterFrames.rootMessage(redisFailure));
        }
        finally {
            pending.remove(requestId);
        }
        return answers;
    }

    /** A message on one of this pod's admin channels; runs on the subscription's thread, so never blocks. */
    void received(String body, String channel) {
        try {
            if (channels.isReply(channel)) {
                Reply reply = json.readValue(body, Reply.class);
                BlockingQueue<Reply> waiting = pending.get(reply.requestId());
                if (waiting != null) {
                    waiting.offer(reply);
                }
                return;
            }
            Request request = json.readValue(body, Request.class);
            if (!request.from().equals(nodeId())) { // our own broadcast: answered locally already
                requests.execute(() -> answer(request));
            }
        }
        catch (RuntimeException notOurs) { // something else published on our channel: ignored, warned about once
            if (warnedAboutForeignMessages.compareAndSet(false, true)) {
                log.warn("Cluster: ignored a message on {} that is not a gateway admin message ({}); further ones are "
                        + "logged at debug level", channel, ClusterFrames.rootMessage(notOurs));
            }
            else {
                log.debug("Cluster: ignored a message on {} ({})", channel, ClusterFrames.rootMessage(notOurs));
            }
        }
    }

    private void answer(Request request) {
        try {
            AdminResult result = local.execute(request.call());
            publish(channels.repliesFor(request.from()), new Reply(request.requestId(), nodeId(), result));
        }
        catch (RuntimeException ex) {
            log.warn("Cluster: could not answer {} from pod {}: {}", request.call().getClass().getSimpleName(), request.from(),
                    ClusterFrames.rootMessage(ex));
        }
    }

    private long publish(String channel, Object message) {
        Long receivers = redis.convertAndSend(channel, json.writeValueAsString(message));
        return (receivers != null) ? receivers : 0;
    }

    @Override
    public void destroy() {
        requests.shutdownNow();
    }
}
