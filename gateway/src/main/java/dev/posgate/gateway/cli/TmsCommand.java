package dev.posgate.gateway.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code posgate tms ...}: the TMS admin API from the command line (docs/tms.md). */
@Command(name = "tms", mixinStandardHelpOptions = true, description = "TMS: DMKs, packages, targeting, rollout status.",
        subcommands = {TmsCommand.Dmk.class, TmsCommand.Publish.class, TmsCommand.Target.class, TmsCommand.Group.class,
                TmsCommand.Status.class})
public final class TmsCommand {

    static String q(String s) {
        return TerminalCommand.q(s);
    }

    @Command(name = "provision-dmk", aliases = "dmk", mixinStandardHelpOptions = true,
            description = "Provision a terminal's DMK: from 2-3 clear components (key ceremony) or imported under a zone ZMK.")
    static final class Dmk implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Option(names = "--sn", required = true, description = "Terminal serial number.") String sn;
        @Option(names = "--component", description = "Clear component, 32 hex (repeat 2 or 3 times).") List<String> components;
        @Option(names = "--zmk-owner", description = "Zone whose active ZMK protects --dmk-under-zmk.") String zmkOwner;
        @Option(names = "--dmk-under-zmk", description = "The DMK encrypted under the ZMK, 32 hex.") String underZmk;

        @Override
        public Integer call() throws Exception {
            JsonObject body = components != null ? new JsonObject().put("components", new JsonArray(components))
                    : new JsonObject().put("zmkOwner", zmkOwner).put("dmkUnderZmk", underZmk);
            return output.print(admin, admin.send("POST", "/api/tms/terminals/" + q(sn) + "/dmk", body.encode()), "storing the DMK of " + sn, 201);
        }
    }

    /**
     * {@code -h}/{@code --help} for the commands whose own {@code --version} (a package's) takes the
     * place of picocli's standard {@code -V, --version}: with the standard help options, their
     * {@code --help} failed on the missing required options instead of printing the usage.
     */
    static final class HelpOnly {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.") boolean help;
    }

    @Command(name = "publish", description = "Publish a package version (stored in PostgreSQL).")
    static final class Publish implements Callable<Integer> {
        @Mixin HelpOnly help;
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Option(names = "--vendor", required = true) String vendor;
        @Option(names = "--model", defaultValue = "*", description = "Terminal model, * for all (default: ${DEFAULT-VALUE}).") String model;
        @Option(names = "--name", required = true) String name;
        @Option(names = "--version", required = true) String version;
        @Option(names = "--kind", defaultValue = "1", description = "1 application, 2 parameters, 3 data file (default: ${DEFAULT-VALUE}).") int kind;
        @Option(names = "--file", required = true) Path file;

        @Override
        public Integer call() throws Exception {
            String path = "/api/tms/packages?vendor=" + q(vendor) + "&model=" + q(model) + "&name=" + q(name)
                    + "&version=" + q(version) + "&kind=" + kind;
            return output.print(admin, admin.send("POST", path, HttpRequest.BodyPublishers.ofFile(file), "application/octet-stream"),
                    "publishing " + name + " " + version, 201);
        }
    }

    @Command(name = "target", mixinStandardHelpOptions = true, description = "Offer a published package to a terminal group (* = all).")
    static final class Target implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Option(names = "--package", required = true, description = "Package id printed by publish.") long id;
        @Option(names = "--group", defaultValue = "*", description = "Group name (default: ${DEFAULT-VALUE}).") String group;

        @Override
        public Integer call() throws Exception {
            return output.print(admin, admin.send("POST", "/api/tms/packages/" + id + "/targets/" + q(group), (String) null),
                    "targeting package " + id, "package " + id + " offered to group " + group, 204);
        }
    }

    @Command(name = "add-to-group", aliases = "group", mixinStandardHelpOptions = true, description = "Put a terminal into a group.")
    static final class Group implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Option(names = "--sn", required = true) String sn;
        @Option(names = "--group", required = true) String group;

        @Override
        public Integer call() throws Exception {
            return output.print(admin, admin.send("PUT", "/api/tms/terminals/" + q(sn) + "/groups/" + q(group), (String) null),
                    "adding " + sn + " to group " + group, sn + " added to group " + group, 204);
        }
    }

    @Command(name = "rollout-status", aliases = "status", description = "Rollout status per terminal of one package version.")
    static final class Status implements Callable<Integer> {
        @Mixin HelpOnly help;
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Option(names = "--vendor", required = true) String vendor;
        @Option(names = "--name", required = true) String name;
        @Option(names = "--version", required = true) String version;

        @Override
        public Integer call() throws Exception {
            return output.print(admin, admin.send("GET", "/api/tms/rollout?vendor=" + q(vendor) + "&name=" + q(name) + "&version=" + q(version),
                    (String) null), "reading the rollout of " + name + " " + version, 200);
        }
    }
}
