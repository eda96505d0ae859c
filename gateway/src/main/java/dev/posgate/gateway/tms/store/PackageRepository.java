package dev.posgate.gateway.tms.store;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * The standard per-vendor interface through which the TMS reads package lists and frames
 * (CN102013982A: "the TMS fetches each frame from the terminal vendor's repository"). One
 * implementation serves one or more vendors; {@link PackageRepositories} picks it by vendor id.
 * Implementations must not block the caller's thread.
 */
public interface PackageRepository {

    /** Whether this repository knows {@code vendor} at all (an unknown vendor is answered {@code B3}). */
    Future<Boolean> knowsVendor(String vendor);

    /** The packages targeted at this terminal: the newest version per package name. */
    Future<List<PackageInfo>> available(TerminalProfile terminal);

    /** One package targeted at this terminal, if any. */
    Future<Optional<PackageInfo>> find(TerminalProfile terminal, String name, String version);

    /** Up to {@code length} bytes of the package from {@code offset} (fewer only at the end). */
    Future<byte[]> read(PackageInfo pkg, long offset, int length);
}
