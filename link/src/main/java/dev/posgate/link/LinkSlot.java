package dev.posgate.link;

/** A connection position of a pool (host and index); its connection is replaced on each reconnect. */
final class LinkSlot<Req, Rep> {
    final HostAndPort host;
    final String label;
    LinkMetrics.State state = LinkMetrics.State.DOWN;
    LinkConnection<Req, Rep> conn;
    /** Failed connects since the last success: the backoff exponent. */
    int attempt;
    boolean firstAttemptSettled;
    Ticker.Timer reconnectTimer;

    LinkSlot(HostAndPort host, int index) {
        this.host = host;
        this.label = host + "#" + index;
    }

    /** The connection, if this slot is up and it can take requests. */
    LinkConnection<Req, Rep> usable() {
        return state == LinkMetrics.State.UP && conn != null && !conn.dead ? conn : null;
    }
}
