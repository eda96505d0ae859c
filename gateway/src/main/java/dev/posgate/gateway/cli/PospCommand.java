package dev.posgate.gateway.cli;

import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code posgate posp ...}: POSP system keys and uploaded electronic signatures (docs/posp.md). */
@Command(name = "posp", mixinStandardHelpOptions = true, description = "POSP: zone keys shared with the acquirer host; electronic signatures.",
        subcommands = {PospCommand.ZoneKeys.class, PospCommand.Signature.class})
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

    @Command(name = "signature", mixinStandardHelpOptions = true,
            description = "The electronic signature a terminal uploaded for a transaction (audited posp.signature.read): by journal id,"
                    + " or by TID and STAN (and batch); --out writes the JBIG image to a file.")
    static final class Signature implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @ArgGroup(exclusive = true, multiplicity = "1") Which which;
        @Option(names = "--batch", description = "Batch (60.2), 6 digits, with --tid/--stan (default: the latest of that STAN).") String batch;
        @Option(names = "--out", paramLabel = "FILE", description = "Write the image (image/x-jbig) to FILE.") Path out;

        static final class Which {
            @Option(names = "--journal-id", required = true, description = "The transaction's journal id (posp_transaction).") Long journalId;
            @ArgGroup(exclusive = false) ByTerminal terminal;
        }

        static final class ByTerminal {
            @Option(names = "--tid", required = true, description = "Terminal id (field 41).") String tid;
            @Option(names = "--stan", required = true, description = "The transaction's STAN (field 11).") String stan;
        }

        @Override
        public Integer call() throws Exception {
            String path = which.journalId != null ? "/api/posp/signatures/" + which.journalId
                    : "/api/posp/signatures?tid=" + enc(which.terminal.tid) + "&stan=" + enc(which.terminal.stan)
                            + (batch == null ? "" : "&batch=" + enc(batch));
            HttpResponse<String> answer = admin.send("GET", path, null);
            if (out != null && answer.statusCode() == 200) {
                Files.write(out, Base64.getDecoder().decode(new JsonObject(answer.body()).getString("image")));
            }
            return output.print(admin, answer, "reading the signature", 200);
        }

        private static String enc(String v) {
            return URLEncoder.encode(v, StandardCharsets.UTF_8);
        }
    }
}
