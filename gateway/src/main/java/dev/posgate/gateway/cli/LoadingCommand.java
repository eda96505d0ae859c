package dev.posgate.gateway.cli;

import dev.posgate.gateway.platform.ca.CaStore;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import dev.posgate.gateway.kms.store.LoadingStatement;

/**
 * {@code posgate loading ...}: key-loading authorisations on a running gateway (docs/kms.md). One
 * card holder opens an authorisation for a serial, a second one approves it; each signs a
 * statement with the card (the PKCS#12 file stands for the card) that the gateway verifies
 * against the posgate CA. The first L2 for that serial on the key-loading listener consumes it.
 */
@Command(name = "loading", mixinStandardHelpOptions = true, description = "Key-loading authorisations: open, approve, list, revoke.",
        subcommands = {LoadingCommand.Open.class, LoadingCommand.Approve.class, LoadingCommand.ListAll.class, LoadingCommand.Revoke.class})
public final class LoadingCommand {
    private static final String PATH = "/api/kms/loading-authorisations";

    static final class CardOptions {
        @Option(names = "--card", required = true, description = "Operator or administrator card (PKCS#12).") Path card;
        @Option(names = "--pin", defaultValue = "posgate-dev", description = "Card PIN (default: ${DEFAULT-VALUE}).") String pin;

        byte[] sign(LoadingStatement s) throws Exception {
            CaStore.KeyEntry e = CaStore.readP12(card, pin.toCharArray());
            return s.sign(e.key(), e.certificate());
        }
    }

    @Command(name = "open", mixinStandardHelpOptions = true, description = "Open an authorisation for one serial (first card).")
    static final class Open implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Mixin CardOptions card;
        @Option(names = "--sn", required = true, description = "Terminal serial.") String sn;
        @Option(names = "--ttl", description = "Validity in seconds (default: the gateway's loader.authorisation.ttl.seconds).")
        Integer ttl;

        @Override
        public Integer call() throws Exception {
            byte[] signed = card.sign(LoadingStatement.open(sn, ttl, Instant.now()));
            return output.print(admin, admin.send("POST", PATH, HttpRequest.BodyPublishers.ofByteArray(signed), "application/pkcs7-mime"),
                    "opening a loading authorisation for " + sn, 201);
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve an open authorisation (a second, different card).")
    static final class Approve implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Mixin CardOptions card;
        @Option(names = "--id", required = true, description = "Authorisation id (from open or list).") UUID id;
        @Option(names = "--sn", required = true, description = "Terminal serial the authorisation is for.") String sn;

        @Override
        public Integer call() throws Exception {
            byte[] signed = card.sign(LoadingStatement.approve(id, sn, Instant.now()));
            return output.print(admin, admin.send("POST", PATH + "/" + id + "/approval", HttpRequest.BodyPublishers.ofByteArray(signed),
                    "application/pkcs7-mime"), "approving loading authorisation " + id, 200);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List authorisations (the latest 200), optionally for one serial.")
    static final class ListAll implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Option(names = "--sn", description = "Only this serial.") String sn;

        @Override
        public Integer call() throws Exception {
            return output.print(admin, admin.send("GET", sn == null ? PATH : PATH + "?sn=" + TerminalCommand.q(sn), null),
                    "listing loading authorisations", 200);
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke an open or approved authorisation.")
    static final class Revoke implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Option(names = "--id", required = true, description = "Authorisation id.") UUID id;

        @Override
        public Integer call() throws Exception {
            return output.print(admin, admin.send("POST", PATH + "/" + id + "/revocation", null), "revoking loading authorisation " + id, 200);
        }
    }

}
