package io.tcpgateway.admin;

import io.tcpgateway.ban.BanList;
import io.tcpgateway.connection.CloseReason;
import io.tcpgateway.connection.GatewayListener;
import io.tcpgateway.connection.ListenerStats;
import io.tcpgateway.listener.ListenerRegistrar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

/**
 * {@code GET /actuator/stats}: each listener's running totals (the same the meters read) in one small
 * JSON document, so the dashboard page can draw rates from two polls without parsing the Prometheus text.
 */
@Component
@Endpoint(id = "stats")
public class StatsEndpoint {

    private final ListenerRegistrar listeners;
    private final BanList bans;

    public StatsEndpoint(ListenerRegistrar listeners, BanList bans) {
        this.listeners = listeners;
        this.bans = bans;
    }

    @ReadOperation
    public Stats stats() {
        return new Stats(System.currentTimeMillis(), listeners.listeners().stream().map(ListenerTotals::of).toList(),
                bans.active().size());
    }

    /** @param at when the totals were read, epoch milliseconds */
    public record Stats(long at, List<ListenerTotals> listeners, int bans) {
    }

    public record ListenerTotals(String name, int connections, long opened, Map<String, Long> closed, long framesIn,
            long framesOut, long bytesIn, long bytesOut) {

        static ListenerTotals of(GatewayListener listener) {
            ListenerStats stats = listener.stats();
            Map<String, Long> closed = new LinkedHashMap<>();
            for (CloseReason reason : CloseReason.values()) {
                closed.put(reason.tag(), stats.closed(reason));
            }
            return new ListenerTotals(listener.name(), listener.peers().size(), stats.opened(), closed, stats.framesIn(),
                    stats.framesOut(), stats.bytesIn(), stats.bytesOut());
        }
    }
}
