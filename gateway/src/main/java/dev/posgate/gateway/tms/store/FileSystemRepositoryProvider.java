package dev.posgate.gateway.tms.store;

import dev.posgate.gateway.spi.GatewayContext;
import java.nio.file.Path;

/** {@code filesystem}: {@link FileSystemPackageRepository} under {@code tms.fs.root}. */
public final class FileSystemRepositoryProvider implements PackageRepositoryProvider {
    @Override
    public String name() {
        return "filesystem";
    }

    @Override
    public PackageRepository create(GatewayContext context, Path fsRoot) {
        return new FileSystemPackageRepository(context.vertx(), fsRoot);
    }
}
