package dev.posgate.gateway.posp.upstream;

/** The upstream host did not answer: no connection up ({@link #unavailable}) or no reply in time ({@link #timedOut}). */
public final class UpstreamException extends RuntimeException {
    private final boolean timeout;

    private UpstreamException(String message, boolean timeout) {
        super(message, null, false, false);
        this.timeout = timeout;
    }

    public static UpstreamException unavailable(String message) {
        return new UpstreamException(message, false);
    }

    public static UpstreamException timedOut(String message) {
        return new UpstreamException(message, true);
    }

    /** True when the request was sent and may have reached the host (so it needs a reversal). */
    public boolean timeout() {
        return timeout;
    }
}
