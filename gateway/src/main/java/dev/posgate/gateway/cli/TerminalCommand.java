package dev.posgate.gateway.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Terminal registration through the admin API of a running gateway. */
@Command(name = "terminal", mixinStandardHelpOptions = true, description = "Register, show, list, disable and enable terminals; their key state.",
        subcommands = {TerminalCommand.Register.class, TerminalCommand.Update.class, TerminalCommand.ListTerminals.class,
                TerminalCommand.Show.class, TerminalCommand.Keys.class, TerminalCommand.Disable.class, TerminalCommand.Enable.class,
                TmkCeremonyCommand.class, TmkImportCommand.class})
final class TerminalCommand {

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String text(Object v) {
        return Output.text(v);
    }

    @Command(name = "register", mixinStandardHelpOptions = true, description = "Register a terminal.")
    static final class Register implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;
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
            String answer = AdminTarget.expect(r, "registering terminal " + tid, 201);
            admin.out().println(output.json ? answer : "registered " + new JsonObject(answer).getString("tid"));
            return 0;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Change a terminal's profile (audited).")
    static final class Update implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Option(names = "--tid", required = true, description = "Terminal id (field 41).") String tid;
        @Option(names = "--mak-length",
                description = "MAK issued by its next 003/004 sign-on: double or single.") String makLength;
        @Option(names = "--key-algorithm",
                description = "tdes or sm4; a change retires the terminal's TMK and working keys (it needs a new TMK).")
        String keyAlgorithm;

        @Override
        public Integer call() throws Exception {
            if (makLength == null && keyAlgorithm == null) {
                throw new CliException("terminal update: nothing to change: give --mak-length and/or --key-algorithm", 2);
            }
            JsonObject body = new JsonObject();
            if (makLength != null) body.put("makLength", makLength.toUpperCase());
            if (keyAlgorithm != null) body.put("keyAlgorithm", keyAlgorithm.toUpperCase());
            HttpResponse<String> r = admin.send("PATCH", "/api/terminals/" + tid, body.encode());
            String answer = AdminTarget.expect(r, "updating terminal " + tid, 200);
            JsonObject t = new JsonObject(answer);
            admin.out().println(output.json ? answer
                    : "updated " + tid + ": makLength " + t.getString("makLength") + ", keyAlgorithm " + t.getString("keyAlgorithm"));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List registered terminals.")
    static final class ListTerminals implements Callable<Integer> {
        private static final String ROW = "%-8s  %-15s  %-20s  %-10s  %-10s  %-4s  %-4s  %s%n";
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Option(names = "--limit", defaultValue = "100", description = "Page size (default: ${DEFAULT-VALUE}).") int limit;

        @Override
        public Integer call() throws Exception {
            long after = 0;
            JsonArray all = new JsonArray();
            boolean header = false;
            while (true) {
                // each page is fetched before anything is printed: a failure prints one line, no table header
                String body = AdminTarget.expect(admin.send("GET", "/api/terminals?limit=" + limit + "&after=" + after, null),
                        "listing terminals", 200);
                JsonArray page = new JsonObject(body).getJsonArray("terminals");
                if (!output.json && !header) {
                    admin.out().printf(ROW, "TID", "MID", "SN", "VENDOR", "MODEL", "KEYS", "ALG", "STATUS");
                    header = true;
                }
                for (int i = 0; i < page.size(); i++) {
                    JsonObject t = page.getJsonObject(i);
                    if (output.json) all.add(t);
                    else admin.out().printf(ROW, t.getString("tid"), t.getString("mid"), t.getString("sn"), t.getString("vendor"),
                            t.getString("model"), t.getString("keyScheme"), t.getString("keyAlgorithm"), t.getString("status"));
                    after = t.getLong("id");
                }
                if (page.size() < limit) break;
            }
            if (output.json) admin.out().println(new JsonObject().put("terminals", all).encode());
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one terminal's registration.")
    static final class Show implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Parameters(index = "0", paramLabel = "TID", description = "Terminal id (field 41).") String tid;

        @Override
        public Integer call() throws Exception {
            return output.print(admin, admin.send("GET", "/api/terminals/" + q(tid), null), "showing terminal " + tid, 200);
        }
    }

    @Command(name = "keys", mixinStandardHelpOptions = true,
            description = "A terminal's key state: TMK and working keys (PIK, MAK, TDK) with versions, states, KCVs; its last sign-on.")
    static final class Keys implements Callable<Integer> {
        private static final String ROW = "%-5s  %-5s  %-7s  %-8s  %-6s  %s%n";
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Parameters(index = "0", paramLabel = "TID", description = "Terminal id (field 41).") String tid;

        @Override
        public Integer call() throws Exception {
            String answer = AdminTarget.expect(admin.send("GET", "/api/terminals/" + q(tid) + "/keys", null),
                    "reading the key state of terminal " + tid, 200);
            if (output.json) {
                admin.out().println(answer);
                return 0;
            }
            JsonObject s = new JsonObject(answer);
            admin.out().println("terminal " + s.getString("tid") + "  sn " + s.getString("sn") + "  key scheme " + s.getString("keyScheme"));
            admin.out().printf(ROW, "KEY", "INDEX", "VERSION", "STATE", "KCV", "SINCE");
            JsonArray keys = s.getJsonArray("keys");
            for (int i = 0; i < keys.size(); i++) {
                JsonObject k = keys.getJsonObject(i);
                String since = k.getString("retiredAt") != null ? k.getString("retiredAt")
                        : k.getString("activatedAt") != null ? k.getString("activatedAt") : k.getString("createdAt");
                admin.out().printf(ROW, k.getString("type"), k.getInteger("keyIndex"), k.getInteger("version"), k.getString("state"),
                        k.getString("kcv"), text(since));
            }
            if (keys.isEmpty()) admin.out().println("(no keys)");
            JsonObject signOn = s.getJsonObject("lastSignOn");
            admin.out().println(signOn == null ? "last sign-on: never"
                    : "last sign-on: " + signOn.getString("at") + " (mode " + signOn.getString("mode") + ", business day "
                            + signOn.getString("businessDay") + ", batch " + signOn.getString("batch") + ")");
            return 0;
        }
    }

    /** POST /api/terminals/TID/disable or /enable: the terminal's new status, or the API's JSON. */
    abstract static class StatusChange implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Parameters(index = "0", paramLabel = "TID", description = "Terminal id (field 41).") String tid;
        @Spec CommandSpec spec;

        /** The command's name, which is the endpoint's last segment: disable or enable. */
        private String verb() {
            return spec.name();
        }

        @Override
        public Integer call() throws Exception {
            String answer = AdminTarget.expect(admin.send("POST", "/api/terminals/" + q(tid) + "/" + verb(), null),
                    verb().replace("able", "abling") + " terminal " + tid, 200);
            admin.out().println(output.json ? answer : tid + " " + verb() + "d: status " + new JsonObject(answer).getString("status"));
            return 0;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Disable a terminal (status SUSPENDED, audited): its sign-ons and transactions get 58, its TMS handshake is refused.")
    static final class Disable extends StatusChange {}

    @Command(name = "enable", mixinStandardHelpOptions = true,
            description = "Enable a disabled terminal (status ACTIVE, audited): served again with the keys it had.")
    static final class Enable extends StatusChange {}
}
