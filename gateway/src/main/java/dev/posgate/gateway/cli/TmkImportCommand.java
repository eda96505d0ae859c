package dev.posgate.gateway.cli;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code posgate terminal tmk-import}: a terminal's TDES TMK that the acquirer's own key ceremony
 * left under the LMK (a payShield console, HSM profile payshield), stored after the HSM checked it
 * is a TMK with that check value. Prints the KCV.
 */
@Command(name = "tmk-import", mixinStandardHelpOptions = true,
        description = "Store a terminal's TDES TMK given under the LMK (U/T + hex) with its check value, checked by the HSM (BU); prints its KCV.")
final class TmkImportCommand implements Callable<Integer> {
    @Mixin AdminTarget admin;
    @Mixin Output output;
    @Option(names = "--sn", required = true, description = "Terminal serial number.") String sn;
    @Option(names = "--under-lmk", required = true, description = "The TMK under the LMK: U + 32 hex or T + 48 hex.") String underLmk;
    @Option(names = "--kcv", required = true, description = "Its check value from the ceremony, 6 to 16 hex.") String kcv;

    @Override
    public Integer call() throws Exception {
        JsonObject body = new JsonObject().put("underLmk", underLmk).put("kcv", kcv);
        String answer = AdminTarget.expect(admin.send("POST", "/api/ceremony/terminals/" + TerminalCommand.q(sn)
                + "/tmk/import", body.encode()), "the TMK import for " + sn, 201);
        JsonObject r = new JsonObject(answer);
        admin.out().println(output.json ? answer : "TMK of " + r.getString("sn") + " stored ACTIVE, KCV " + r.getString("kcv"));
        return 0;
    }
}
