package dev.posgate.gateway.spi;

/**
 * Session code ran off the session's event loop while {@code posgate.session.threadCheck=fail}
 * (the tests' setting): thrown where it was detected, so the chain fails there.
 */
public final class SessionThreadViolation extends IllegalStateException {
    SessionThreadViolation(String message) {
        super(message);
    }
}
