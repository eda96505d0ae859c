package dev.posgate.gateway.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Terminal registration through the admin API of a running gateway. */
@Command(name = "terminal", mixinStandardHelpOptions = true, description = "Register and list terminals.",
        subcommands = {TerminalCommand.Register.class, TerminalCommand.Update.class, TerminalCommand.ListTerminals.class})
final class TerminalCommand {

    @Command(name = "register", mixinStandardHelpOptions = true, description = "Register a terminal.")
    static final class Register implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Option(names = "--tid", required = true, description = "Terminal id, 8 characters (field 41).") String tid;
        @Option(names = "--mid", required = true, description = "Merchant id, 15 characters (field 42).") String mid;
        @Option(names = "--sn", required = true, description = "Terminal hardware serial number.") String sn;
        @Option(names = "--sn-pinpad", description = "External PIN pad serial number.") String snPinpad;
        @Option(names = "--vendor", required = true, description = "Vendor id (DF01).") String vendor;
        @Option(names = "--model", required = true, description = "Terminal model id (DF02).") String model;
        @Option(names = "--key-scheme", defaultValue = "TMK", description = "TMK or PSAM (default: ${DEFAULT-VALUE}).") String keyScheme;
        @Option(names = "--mac", defaultValue = "ECB", description = "Field 64 MAC: ECB or X919 (default: ${DEFAULT-VALUE}).") String mac;
        @Option(names = "--mak-length", defaultValue = "double",
                description = "MAK issued by 003/004 sign-ons: double, or single in the 40/60-byte layout (default: ${DEFAULT-VALUE}).")
        String makLength;
        @Option(names = "--key-algorithm", defaultValue = "tdes",
                description = "Key algorithm: tdes, or sm4 (SM4 TMK and working keys, SM4 MAC and PIN block) (default: ${DEFAULT-VALUE}).")
        String keyAlgorithm;

        @Override
        public Integer call() throws Exception {
            JsonObject body = new JsonObject().put("tid", tid).put("mid", mid).put("sn", sn).put("snPinpad", snPinpad)
                    .put("vendor", vendor).put("model", model).put("keyScheme", keyScheme.toUpperCase()).put("macAlgorithm", mac.toUpperCase())
                    .put("makLength", makLength.toUpperCase()).put("keyAlgorithm", keyAlgorithm.toUpperCase());
            HttpResponse<String> r = admin.send("POST", "/api/terminals", body.encode());
            if (r.statusCode() == 201) {
                System.out.println("registered " + new JsonObject(r.body()).getString("tid"));
                return 0;
            }
            System.err.println("registration refused (HTTP " + r.statusCode() + "): " + r.body());
            return 1;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Change a terminal's profile (audited).")
    static final class Update implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Option(names = "--tid", required = true, description = "Terminal id (field 41).") String tid;
        @Option(names = "--mak-length",
                description = "MAK issued by its next 003/004 sign-on: double or single.") String makLength;
        @Option(names = "--key-algorithm",
                description = "tdes or sm4; a change retires the terminal's TMK and working keys (it needs a new TMK).")
        String keyAlgorithm;

        @Override
        public Integer call() throws Exception {
            if (makLength == null && keyAlgorithm == null) {
                System.err.println("give --mak-length and/or --key-algorithm");
                return 2;
            }
            JsonObject body = new JsonObject();
            if (makLength != null) body.put("makLength", makLength.toUpperCase());
            if (keyAlgorithm != null) body.put("keyAlgorithm", keyAlgorithm.toUpperCase());
            HttpResponse<String> r = admin.send("PATCH", "/api/terminals/" + tid, body.encode());
            if (r.statusCode() == 200) {
                JsonObject t = new JsonObject(r.body());
                System.out.println("updated " + tid + ": makLength " + t.getString("makLength") + ", keyAlgorithm " + t.getString("keyAlgorithm"));
                return 0;
            }
            System.err.println("update refused (HTTP " + r.statusCode() + "): " + r.body());
            return 1;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List registered terminals.")
    static final class ListTerminals implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Option(names = "--limit", defaultValue = "100", description = "Page size (default: ${DEFAULT-VALUE}).") int limit;

        @Override
        public Integer call() throws Exception {
            long after = 0;
            System.out.printf("%-8s  %-15s  %-20s  %-10s  %-10s  %-4s  %-4s  %s%n", "TID", "MID", "SN", "VENDOR", "MODEL", "KEYS", "ALG",
                    "STATUS");
            while (true) {
                HttpResponse<String> r = admin.send("GET", "/api/terminals?limit=" + limit + "&after=" + after, null);
                if (r.statusCode() != 200) {
                    System.err.println("listing failed (HTTP " + r.statusCode() + "): " + r.body());
                    return 1;
                }
                JsonArray page = new JsonObject(r.body()).getJsonArray("terminals");
                for (int i = 0; i < page.size(); i++) {
                    JsonObject t = page.getJsonObject(i);
                    System.out.printf("%-8s  %-15s  %-20s  %-10s  %-10s  %-4s  %-4s  %s%n", t.getString("tid"), t.getString("mid"),
                            t.getString("sn"), t.getString("vendor"), t.getString("model"), t.getString("keyScheme"),
                            t.getString("keyAlgorithm"), t.getString("status"));
                    after = t.getLong("id");
                }
                if (page.size() < limit) return 0;
            }
        }
    }
}
