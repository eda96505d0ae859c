package dev.posgate.hsm.bundled;

import dev.posgate.hsm.HsmProfile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * A software HSM the gateway may start on loopback when no HSM is configured: the development
 * default. The gateway finds it with {@link ServiceLoader}, so the production jar, which does not
 * carry the software HSM, names no simulator class; the development launcher and the tests put
 * {@code posgate-hsm-sim} on the class path, which provides it.
 */
public interface BundledHsm {

    /** How to run it: the same settings the standalone software HSM takes. */
    record Options(
            String host,
            int headerLength,
            Path lmkFile,
            boolean allowClearComponents,
            Set<String> authorisedCommands,
            Duration authorisedFor,
            KeyCertOptions serverKey,
            TrustOptions clientTrust,
            HsmProfile profile) {
        public Options {
            authorisedCommands = Set.copyOf(authorisedCommands);
            java.util.Objects.requireNonNull(profile, "profile");
        }
    }

    /** A started bundled HSM. */
    interface Running {
        int port();

        Future<Void> stop();
    }

    /** Starts it on {@code options.host()} at a free port, with a development LMK in {@code lmkFile}. */
    Future<Running> start(Vertx vertx, Options options);

    /** The bundled HSM on the class path, if this build carries one. */
    static Optional<BundledHsm> find() {
        return ServiceLoader.load(BundledHsm.class).findFirst();
    }
}
