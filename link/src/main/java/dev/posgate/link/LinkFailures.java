package dev.posgate.link;

/**
 * Builds the exceptions a link fails requests with, so that its users see their own domain types
 * (HSM or upstream exceptions) with the link's messages, without a translation step.
 */
public interface LinkFailures<Req> {
    /** Not sent: no connection up, saturated, closed, or every write failed. */
    Throwable unavailable(String message);

    /** Sent, no reply within the request's timeout. */
    Throwable timeout(String message);

    /** Sent on a connection lost before the reply: the peer may have executed it; never retried. */
    Throwable connectionLost(String message, String connection);

    /** The reply was longer than the protocol's maximum and was skipped. */
    default Throwable oversized(Req request, int length, int max) {
        return unavailable("reply of " + length + " bytes exceeds the maximum " + max);
    }

    /** The generic exceptions: {@link LinkException}. */
    static <Req> LinkFailures<Req> generic() {
        return new LinkFailures<>() {
            @Override
            public Throwable unavailable(String message) {
                return new LinkException(message, LinkException.Kind.UNAVAILABLE);
            }

            @Override
            public Throwable timeout(String message) {
                return new LinkException(message, LinkException.Kind.TIMEOUT);
            }

            @Override
            public Throwable connectionLost(String message, String connection) {
                return new LinkException(message, LinkException.Kind.CONNECTION_LOST);
            }
        };
    }
}
