package dev.posgate.gateway.spi;

import dev.posgate.gateway.platform.db.Terminal;
import io.vertx.core.Future;

/**
 * For the POSP: whether a terminal has a TMS update pending, so that POS responses can carry
 * processing requirement {@code 6}. Pending = a package targeted at the terminal that it has not
 * reported INSTALLED with D3. Never fails for an unknown terminal (false).
 *
 * <p>The TMS answers it ({@code tms.store.PendingPackages}); the POSP asks it. Here in the SPI so
 * that neither feature imports the other.
 */
public interface PendingUpdates {

    Future<Boolean> hasPending(String tid);

    /** The same for a terminal the caller has just read (no second read of its registration). */
    default Future<Boolean> hasPending(Terminal terminal) {
        return hasPending(terminal.tid());
    }
}
