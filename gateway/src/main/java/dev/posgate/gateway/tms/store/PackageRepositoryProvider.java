package dev.posgate.gateway.tms.store;

import dev.posgate.gateway.spi.GatewayContext;
import java.nio.file.Path;

/**
 * A {@link java.util.ServiceLoader} service: a kind of package repository ({@code postgresql},
 * {@code filesystem}, or a vendor's own), named in the {@code tms.repositories} setting.
 */
public interface PackageRepositoryProvider {
    /** The name used in {@code tms.repositories}. */
    String name();

    /** Creates the repository; {@code fsRoot} is the {@code tms.fs.root} directory. */
    PackageRepository create(GatewayContext context, Path fsRoot);
}
