package dev.posgate.gateway.cli;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code posgate posp ...}: POSP system keys (docs/posp.md). */
@Command(name = "posp", mixinStandardHelpOptions = true, description = "POSP: zone keys shared with the acquirer host.",
        subcommands = {PospCommand.ZoneKeys.class})
final class PospCommand {

    @Command(name = "generate-zone-keys", aliases = "zone-keys", mixinStandardHelpOptions = true,
            description = "Generate a zone's ZPK, ZAK and ZEK in the HSM (stored ACTIVE); prints them under the LMK with their KCVs.")
    static final class ZoneKeys implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Option(names = "--zone", description = "Zone (default: the gateway's posp.zone).") String zone;

        @Override
        public Integer call() throws Exception {
            JsonObject body = zone == null ? new JsonObject() : new JsonObject().put("zone", zone);
            return output.print(admin, admin.send("POST", "/api/posp/zone-keys", body.encode()), "generating zone keys", 201);
        }
    }
}
