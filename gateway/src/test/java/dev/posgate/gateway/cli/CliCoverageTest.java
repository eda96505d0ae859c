package dev.posgate.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.admin.AdminApi;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every operation of the admin API (/api/openapi.json, itself checked against the router by
 * OpenApiRoutesIT) has a CLI command, and each command named here exists: a new endpoint
 * without a command, or a command renamed, fails here. The probes and the description itself
 * are for curl and Prometheus.
 */
class CliCoverageTest {
    private static final Set<String> NO_COMMAND = Set.of("health", "ready", "metrics", "openapi");
    private static final Map<String, String> COMMANDS = Map.ofEntries(
            Map.entry("registerTerminal", "terminal register"),
            Map.entry("listTerminals", "terminal list"),
            Map.entry("getTerminal", "terminal show"),
            Map.entry("updateTerminal", "terminal update"),
            Map.entry("terminalKeys", "terminal keys"),
            Map.entry("disableTerminal", "terminal disable"),
            Map.entry("enableTerminal", "terminal enable"),
            Map.entry("tmkCeremony", "terminal tmk-ceremony"),
            Map.entry("tmkImport", "terminal tmk-import"),
            Map.entry("provisionDmk", "tms provision-dmk"),
            Map.entry("addToGroup", "tms add-to-group"),
            Map.entry("publishPackage", "tms publish"),
            Map.entry("targetPackage", "tms target"),
            Map.entry("rolloutStatus", "tms rollout-status"),
            Map.entry("uploadTkBatch", "kms upload-batch"),
            Map.entry("authoriseRepair", "ca authorise-repair"),
            Map.entry("revokeCertificate", "ca revoke"),
            Map.entry("openLoadingAuthorisation", "loading open"),
            Map.entry("listLoadingAuthorisations", "loading list"),
            Map.entry("approveLoadingAuthorisation", "loading approve"),
            Map.entry("revokeLoadingAuthorisation", "loading revoke"),
            Map.entry("psamRootKey", "psam root-key"),
            Map.entry("zoneKeys", "posp generate-zone-keys"),
            Map.entry("getSignature", "posp signature"),
            Map.entry("findSignature", "posp signature"),
            Map.entry("issuePsam", "psam issue"),
            Map.entry("bindPsam", "psam bind"),
            Map.entry("unbindPsam", "psam unbind"),
            Map.entry("psamHistory", "psam history"),
            Map.entry("loadAids", "ic aids load"),
            Map.entry("getAids", "ic aids show"),
            Map.entry("loadCapks", "ic capks load"),
            Map.entry("getCapks", "ic capks show"),
            Map.entry("icTerminals", "ic behind"));

    /** Old names of renamed commands (docs/cli.md, "Names"): still accepted, as picocli aliases. */
    private static final Map<String, String> RENAMED = Map.of("tms dmk", "tms provision-dmk", "tms group", "tms add-to-group",
            "tms status", "tms rollout-status", "posp zone-keys", "posp generate-zone-keys");

    private static CommandLine command(String path) {
        CommandLine c = Main.commandLine();
        for (String name : path.split(" ")) {
            c = c.getSubcommands().get(name);
            assertNotNull(c, "posgate " + path);
        }
        return c;
    }

    /** {@code --help} on every command prints its usage and exits 0 (required options or not). */
    @Test
    void everyCommandHasHelp() {
        java.util.ArrayDeque<CommandLine> todo = new java.util.ArrayDeque<>(java.util.List.of(Main.commandLine()));
        java.util.List<String> broken = new java.util.ArrayList<>();
        while (!todo.isEmpty()) {
            CommandLine c = todo.pop();
            todo.addAll(new java.util.LinkedHashSet<>(c.getSubcommands().values()));
            String name = c.getCommandSpec().qualifiedName();
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(name.split(" ")).subList(1, name.split(" ").length));
            args.add("--help");
            CliRun r = CliRun.of(args.toArray(String[]::new));
            if (r.exit() != 0 || !r.out().startsWith("Usage: " + name)) broken.add(name + ": " + r);
        }
        assertEquals(java.util.List.of(), broken);
    }

    @Test
    void oldNamesOfRenamedCommandsStillWork() {
        RENAMED.forEach((old, now) -> assertEquals(command(now).getCommandSpec().qualifiedName(),
                command(old).getCommandSpec().qualifiedName(), old));
        CliRun help = CliRun.of("tms", "status", "--help");
        assertEquals(0, help.exit(), help.toString());
        assertTrue(help.out().contains("rollout-status"), help.out());
    }

    @Test
    void everyAdminOperationHasACommandThatExists() {
        JsonObject paths = new JsonObject(AdminApi.openApiDocument()).getJsonObject("paths");
        Set<String> operations = new TreeSet<>();
        for (String path : paths.fieldNames()) {
            JsonObject item = paths.getJsonObject(path);
            for (String method : item.fieldNames()) operations.add(item.getJsonObject(method).getString("operationId"));
        }
        operations.removeAll(NO_COMMAND);
        assertEquals(operations, new TreeSet<>(COMMANDS.keySet()), "admin operations and the CLI commands that cover them");
        CommandLine root = Main.commandLine();
        for (Map.Entry<String, String> e : COMMANDS.entrySet()) {
            CommandLine c = root;
            for (String name : e.getValue().split(" ")) {
                c = c.getSubcommands().get(name);
                assertNotNull(c, "posgate " + e.getValue() + " (for " + e.getKey() + ")");
            }
        }
    }

    /**
     * Every command that talks to the admin API (has {@code --admin}) takes {@code --json}: the shared
     * {@link Output} mixin, the API's JSON unchanged instead of the human rendering (docs/cli.md, "Output").
     */
    @Test
    void everyAdminApiCommandAcceptsJson() {
        java.util.List<String> admin = new java.util.ArrayList<>();
        java.util.List<String> withoutJson = new java.util.ArrayList<>();
        java.util.ArrayDeque<CommandLine> todo = new java.util.ArrayDeque<>(java.util.List.of(Main.commandLine()));
        while (!todo.isEmpty()) {
            CommandLine c = todo.pop();
            todo.addAll(c.getSubcommands().values());
            if (c.getCommandSpec().findOption("--admin") == null) continue;
            admin.add(c.getCommandSpec().qualifiedName());
            if (c.getCommandSpec().findOption("--json") == null) withoutJson.add(c.getCommandSpec().qualifiedName());
        }
        assertEquals(java.util.List.of(), withoutJson);
        for (String command : COMMANDS.values()) assertTrue(admin.contains("posgate " + command), "posgate " + command + " talks to the admin API");
    }

    /**
     * Commands print through their CommandLine's writers (AdminTarget.out()/err(), or their spec's),
     * which is what a caller of the command line (DevMain's demo, CliRun in tests) captures; a
     * System.out/err in a command would bypass it.
     */
    @Test
    void noCommandPrintsOnSystemOutOrErrDirectly() throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of("src/main/java/dev/posgate/gateway/cli");
        java.util.List<String> offenders = new java.util.ArrayList<>();
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
            for (java.nio.file.Path f : files.toList()) {
                java.util.List<String> lines = java.nio.file.Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).strip();
                    if (code.startsWith("*") || code.startsWith("//")) continue;
                    if (code.contains("System.out") || code.contains("System.err")) offenders.add(f.getFileName() + ":" + (i + 1));
                }
            }
        }
        assertEquals(java.util.List.of(), offenders);
    }
}
