package dev.posgate.gateway.tms.store;

import dev.posgate.gateway.spi.GatewayContext;
import java.nio.file.Path;

/** {@code postgresql}: {@link PostgresPackageRepository} on the gateway's database. */
public final class PostgresRepositoryProvider implements PackageRepositoryProvider {
    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public PackageRepository create(GatewayContext context, Path fsRoot) {
        return new PostgresPackageRepository(context.vertx(), context.db());
    }
}
