package dev.posgate.link;

/** The request a pool sends to check a connection (on connect and periodically) and what a healthy reply is. */
public interface HealthProbe<Req, Rep> {
    Req request();

    boolean healthy(Rep reply);

    /** A log-safe summary of an unhealthy reply. */
    default String describe(Rep reply) {
        return "unhealthy reply";
    }
}
