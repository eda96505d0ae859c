package dev.posgate.gateway.tms.store;

import dev.posgate.gateway.spi.GatewayContext;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Vendor id → repository, from {@code tms.repositories} ({@code ACME=filesystem,*=postgresql}).
 * Providers are found with {@link ServiceLoader}; each named provider is instantiated once.
 */
public final class PackageRepositories {
    private static final String ANY = "*";

    private final Map<String, PackageRepository> byVendor;

    private PackageRepositories(Map<String, PackageRepository> byVendor) {
        this.byVendor = byVendor;
    }

    public static PackageRepositories load(String spec, GatewayContext context, Path fsRoot) {
        Map<String, PackageRepositoryProvider> providers = new HashMap<>();
        for (PackageRepositoryProvider p : ServiceLoader.load(PackageRepositoryProvider.class)) providers.put(p.name(), p);
        Map<String, PackageRepository> instances = new HashMap<>();
        Map<String, PackageRepository> byVendor = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) continue;
            int eq = part.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("tms.repositories entry is not vendor=repository: " + part);
            String vendor = part.substring(0, eq).trim();
            String name = part.substring(eq + 1).trim();
            PackageRepositoryProvider p = providers.get(name);
            if (p == null) throw new IllegalArgumentException("no package repository named " + name + " (known: " + providers.keySet() + ")");
            byVendor.put(vendor, instances.computeIfAbsent(name, n -> p.create(context, fsRoot)));
        }
        return new PackageRepositories(byVendor);
    }

    /** The repository of {@code vendor}, or null when the vendor is unknown. */
    public PackageRepository forVendor(String vendor) {
        PackageRepository r = byVendor.get(vendor);
        return r != null ? r : byVendor.get(ANY);
    }
}
