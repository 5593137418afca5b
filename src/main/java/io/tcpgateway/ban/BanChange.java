package io.tcpgateway.ban;

import org.springframework.context.ApplicationEvent;

/**
 * A ban made or lifted, published by {@link BanList} to the rest of the gateway (which closes the
 * address's open connections when asked to, and tells the other pods). A ban that simply ran out is
 * not published: every pod ends it by itself.
 */
public final class BanChange extends ApplicationEvent {

    private final Ban ban;
    private final boolean lifted;
    private final boolean closeOpen;
    private final boolean fromThisPod;

    private BanChange(BanList source, Ban ban, boolean lifted, boolean closeOpen, boolean fromThisPod) {
        super(source);
        this.ban = ban;
        this.lifted = lifted;
        this.closeOpen = closeOpen;
        this.fromThisPod = fromThisPod;
    }

    static BanChange banned(BanList source, Ban ban, boolean closeOpen, boolean fromThisPod) {
        return new BanChange(source, ban, false, closeOpen, fromThisPod);
    }

    static BanChange lifted(BanList source, Ban ban, boolean fromThisPod) {
        return new BanChange(source, ban, true, false, fromThisPod);
    }

    public Ban ban() {
        return ban;
    }

    /** A ban lifted (through the API, here or on another pod) rather than made. */
    public boolean isLifted() {
        return lifted;
    }

    /** The ban asks for the address's open connections to be closed too. */
    public boolean closeOpen() {
        return closeOpen;
    }

    /** Made or lifted on this pod (not heard from another one): the other pods are still to be told. */
    public boolean fromThisPod() {
        return fromThisPod;
    }
}
