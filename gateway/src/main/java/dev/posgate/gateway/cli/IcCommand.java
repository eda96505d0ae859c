package dev.posgate.gateway.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * The IC-card parameters terminals download over 0800/0820 (AID list, EMV CA public keys), through the
 * admin API of a running gateway. A FILE holds one TLV body per line in hex (the layout of field 62 in
 * the download answer, without its status byte); blank lines and lines starting with # are skipped.
 */
@Command(name = "ic", mixinStandardHelpOptions = true, description = "Load the AID list and CA public keys terminals download; see which terminals are behind.",
        subcommands = {IcCommand.Aids.class, IcCommand.Capks.class, IcCommand.Behind.class})
final class IcCommand {

    @Command(name = "aids", mixinStandardHelpOptions = true, description = "The IC-card parameter (AID) list.",
            subcommands = {AidsLoad.class, AidsShow.class})
    static final class Aids {}

    @Command(name = "capks", mixinStandardHelpOptions = true, description = "The EMV CA public key set (DF03 checked against the SHA-1 of RID, index, modulus, exponent).",
            subcommands = {CapksLoad.class, CapksShow.class})
    static final class Capks {}

    @Command(name = "load", mixinStandardHelpOptions = true, description = "Replace the whole AID list with the entries of FILE.")
    static final class AidsLoad implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Parameters(index = "0", paramLabel = "FILE", description = "One hex TLV body per line.") Path file;

        @Override
        public Integer call() throws Exception {
            return load(admin, output, "/api/posp/ic/aids", file);
        }
    }

    @Command(name = "load", mixinStandardHelpOptions = true, description = "Replace the whole CA public key set with the entries of FILE.")
    static final class CapksLoad implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Parameters(index = "0", paramLabel = "FILE", description = "One hex TLV body per line.") Path file;

        @Override
        public Integer call() throws Exception {
            return load(admin, output, "/api/posp/ic/capks", file);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "The current AID list.")
    static final class AidsShow implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;

        @Override
        public Integer call() throws Exception {
            return output.print(admin, admin.send("GET", "/api/posp/ic/aids", null), "reading the AID list", 200);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "The current CA public key set.")
    static final class CapksShow implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;

        @Override
        public Integer call() throws Exception {
            return output.print(admin, admin.send("GET", "/api/posp/ic/capks", null), "reading the CA public keys", 200);
        }
    }

    @Command(name = "behind", mixinStandardHelpOptions = true, description = "Terminals that have not confirmed the current AID list or CA key set.")
    static final class Behind implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;

        @Override
        public Integer call() throws Exception {
            return output.print(admin, admin.send("GET", "/api/posp/ic/terminals?behind=true", null), "listing terminals behind", 200);
        }
    }

    private static int load(AdminTarget admin, Output output, String path, Path file) throws Exception {
        JsonArray entries = new JsonArray();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String hex = line.strip();
            if (!hex.isEmpty() && !hex.startsWith("#")) entries.add(hex.replace(" ", ""));
        }
        return output.print(admin, admin.send("PUT", path, new JsonObject().put("entries", entries).encode()), "loading " + file, 200);
    }

}
