package dev.posgate.gateway.cli;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** PSAM issuance and the card ↔ terminal registry, through the admin API of a running gateway. */
@Command(name = "psam", mixinStandardHelpOptions = true, description = "Issue PSAM cards and bind them to terminals.",
        subcommands = {PsamCommand.RootKey.class, PsamCommand.Issue.class, PsamCommand.Bind.class, PsamCommand.Unbind.class, PsamCommand.History.class})
final class PsamCommand {

    @Command(name = "root-key", mixinStandardHelpOptions = true,
            description = "Generate the PSAM root key card keys derive from (refused when one exists, unless --replace).")
    static final class RootKey implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Option(names = "--replace", description = "Replace the existing root key.") boolean replace;

        @Override
        public Integer call() throws Exception {
            return output.print(admin, admin.send("POST", "/api/psam/root-key", new JsonObject().put("replace", replace).encode()),
                    "generating the PSAM root key", 201);
        }
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Have the HSM derive a card master key and export it under the issuing station's transport key.")
    static final class Issue implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Option(names = "--card", required = true, description = "PSAM card number, 1..20 digits.") String card;
        @Option(names = "--station", required = true, description = "Issuing station id (owner of its ZMK key_record).") String station;

        @Override
        public Integer call() throws Exception {
            HttpResponse<String> r = admin.send("POST", "/api/psam/cards",
                    new JsonObject().put("cardNumber", card).put("station", station).encode());
            return output.print(admin, r, "issuing PSAM card " + card, 201);
        }
    }

    @Command(name = "bind", mixinStandardHelpOptions = true, description = "Bind a card to a terminal (ends both previous bindings).")
    static final class Bind implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Option(names = "--card", required = true, description = "PSAM card number.") String card;
        @Option(names = "--tid", required = true, description = "Terminal id.") String tid;

        @Override
        public Integer call() throws Exception {
            return output.print(admin, admin.send("PUT", "/api/psam/bindings/" + TerminalCommand.q(tid), new JsonObject().put("cardNumber", card).encode()),
                    "binding card " + card + " to " + tid, 200);
        }
    }

    @Command(name = "unbind", mixinStandardHelpOptions = true, description = "End a terminal's binding.")
    static final class Unbind implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Option(names = "--tid", required = true, description = "Terminal id.") String tid;

        @Override
        public Integer call() throws Exception {
            return output.print(admin, admin.send("DELETE", "/api/psam/bindings/" + TerminalCommand.q(tid), null), "unbinding " + tid,
                    tid + " unbound", 204);
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "A terminal's bindings, newest first.")
    static final class History implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Option(names = "--tid", required = true, description = "Terminal id.") String tid;

        @Override
        public Integer call() throws Exception {
            return output.print(admin, admin.send("GET", "/api/psam/bindings/" + TerminalCommand.q(tid), null), "reading the bindings of " + tid, 200);
        }
    }

}
