package dev.posgate.gateway.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code posgate terminal tmk-ceremony}: a terminal's TMK formed in the HSM from 2 or 3 clear
 * components (development, demos, load tests; the gateway must run with
 * posp.tmk.ceremony.enabled). Prints the KCV; the components only pass through.
 */
@Command(name = "tmk-ceremony", mixinStandardHelpOptions = true,
        description = "Form a terminal's TMK from 2-3 clear components in the HSM (needs posp.tmk.ceremony.enabled); prints its KCV.")
final class TmkCeremonyCommand implements Callable<Integer> {
    @Mixin AdminTarget admin;
    @Mixin Output output;
    @Option(names = "--sn", required = true, description = "Terminal serial number.") String sn;
    @Option(names = "--component", required = true, description = "Clear component, 32 hex (repeat 2 or 3 times).") List<String> components;

    @Override
    public Integer call() throws Exception {
        JsonObject body = new JsonObject().put("components", new JsonArray(components));
        String answer = AdminTarget.expect(admin.send("POST", "/api/ceremony/terminals/" + TerminalCommand.q(sn) + "/tmk",
                body.encode()), "the TMK ceremony for " + sn, 201);
        JsonObject r = new JsonObject(answer);
        admin.out().println(output.json ? answer : "TMK of " + r.getString("sn") + " stored ACTIVE, KCV " + r.getString("kcv"));
        return 0;
    }
}
