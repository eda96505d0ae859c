package dev.posgate.link;

/** A request failed by the link ({@link LinkFailures#generic()}). */
public class LinkException extends RuntimeException {
    public enum Kind { UNAVAILABLE, TIMEOUT, CONNECTION_LOST }

    private final Kind kind;

    public LinkException(String message, Kind kind) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
