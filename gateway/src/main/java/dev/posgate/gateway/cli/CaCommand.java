package dev.posgate.gateway.cli;

import dev.posgate.gateway.platform.ca.CaStore;
import dev.posgate.gateway.platform.ca.CertificateAuthority;
import dev.posgate.protocol.pki.CertificateRole;
import dev.posgate.protocol.pki.CertificateVerifier;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code posgate ca ...}: the development CA (docs/kms.md). The KMS and key-loader certificates
 * are issued by the gateway itself on first start (their keys are generated in the HSM); this
 * command creates the roots and the operator/administrator cards, and revokes certificates.
 */
@Command(name = "ca", mixinStandardHelpOptions = true, description = "Development CA: roots, cards, revocation.",
        subcommands = {CaCommand.Init.class, CaCommand.Acquirer.class, CaCommand.IssueCard.class, CaCommand.IssueDevice.class, CaCommand.Revoke.class,
                CaCommand.Repair.class})
public final class CaCommand {

    static final class CaDir {
        @Option(names = "--ca-dir", defaultValue = "${env:POSGATE_KMS_CA_DIR:-var/ca}",
                description = "CA directory (default: ${DEFAULT-VALUE}).")
        Path dir;
        @Spec(Spec.Target.MIXEE) CommandSpec command;

        /** The command's standard output (picocli's writer: what a caller of the CommandLine captures). */
        java.io.PrintWriter out() {
            return command.commandLine().getOut();
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true, description = "Create (or show) the posgate CA root; writes root.crt for terminals.")
    static final class Init implements Callable<Integer> {
        @Mixin CaDir ca;

        @Override
        public Integer call() throws Exception {
            X509Certificate root = new CaStore(ca.dir).root().root();
            ca.out().println("root " + root.getSubjectX500Principal() + " serial " + CertificateVerifier.serial(root)
                    + " -> " + ca.dir.resolve("root.crt"));
            return 0;
        }
    }

    @Command(name = "acquirer", mixinStandardHelpOptions = true, description = "Create (or show) an acquirer root (AcquireRCRT).")
    static final class Acquirer implements Callable<Integer> {
        @Mixin CaDir ca;
        @Option(names = "--id", required = true, description = "Acquirer id.") String id;

        @Override
        public Integer call() throws Exception {
            X509Certificate root = new CaStore(ca.dir).acquirer(id).root();
            ca.out().println("acquirer root " + root.getSubjectX500Principal() + " -> " + ca.dir.resolve("acquirer-" + id + ".crt"));
            return 0;
        }
    }

    @Command(name = "issue-card", mixinStandardHelpOptions = true, description = "Issue an operator or administrator card (PKCS#12).")
    static final class IssueCard implements Callable<Integer> {
        @Mixin CaDir ca;
        @Option(names = "--role", required = true, description = "operator or administrator.") String role;
        @Option(names = "--holder", required = true, description = "Card holder name (CN).") String holder;
        @Option(names = "--out", required = true, description = "PKCS#12 file to write.") Path out;
        @Option(names = "--pin", defaultValue = "posgate-dev", description = "PKCS#12 password (default: ${DEFAULT-VALUE}).") String pin;
        @Option(names = "--days", defaultValue = "365", description = "Validity in days (default: ${DEFAULT-VALUE}).") int days;

        @Override
        public Integer call() throws Exception {
            CertificateRole r = switch (role.toLowerCase(java.util.Locale.ROOT)) {
                case "operator" -> CertificateRole.OPERATOR;
                case "administrator", "admin" -> CertificateRole.ADMINISTRATOR;
                default -> throw new IllegalArgumentException("role must be operator or administrator");
            };
            CertificateAuthority root = new CaStore(ca.dir).root();
            X509Certificate cert = CaStore.issueCard(root, r, holder, days, out, pin.toCharArray());
            ca.out().println(r + " card " + holder + " serial " + CertificateVerifier.serial(cert) + " -> " + out);
            return 0;
        }
    }

    @Command(name = "issue-device", mixinStandardHelpOptions = true,
            description = "Issue a terminal device certificate (DF2A) from the development manufacturer CA (PKCS#12; manufacturer.crt is what the key loader trusts).")
    static final class IssueDevice implements Callable<Integer> {
        @Mixin CaDir ca;
        @Option(names = "--sn", required = true, description = "Terminal serial (the certificate's CN).") String sn;
        @Option(names = "--out", required = true, description = "PKCS#12 file to write (device certificate and key).") Path out;
        @Option(names = "--pin", defaultValue = "posgate-dev", description = "PKCS#12 password (default: ${DEFAULT-VALUE}).") String pin;
        @Option(names = "--days", defaultValue = "3650", description = "Validity in days (default: ${DEFAULT-VALUE}).") int days;

        @Override
        public Integer call() throws Exception {
            X509Certificate cert = CaStore.issueDevice(new CaStore(ca.dir).manufacturer(), sn, days, out, pin.toCharArray());
            ca.out().println("device certificate " + sn + " serial " + CertificateVerifier.serial(cert) + " -> " + out);
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a certificate of the posgate CA on a running gateway.")
    static final class Revoke implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Option(names = "--serial", required = true, description = "Certificate serial (hex).") String serial;
        @Option(names = "--reason", defaultValue = "unspecified", description = "Reason (audited).") String reason;

        @Override
        public Integer call() throws Exception {
            return output.print(admin, admin.send("POST", "/api/kms/revocations", new JsonObject().put("serial", serial).put("reason", reason).encode()),
                    "revoking certificate " + serial, 201);
        }
    }

    @Command(name = "authorise-repair", mixinStandardHelpOptions = true,
            description = "Record an administrator's repair authorisation: the next TK batch may replace this SN's TK once.")
    static final class Repair implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Option(names = "--sn", required = true, description = "Terminal serial.") String sn;
        @Option(names = "--by", required = true, description = "Authorising administrator.") String by;
        @Option(names = "--reason", required = true, description = "Why (audited).") String reason;

        @Override
        public Integer call() throws Exception {
            return output.print(admin, admin.send("POST", "/api/kms/repairs",
                    new JsonObject().put("sn", sn).put("authorisedBy", by).put("reason", reason).encode()), "authorising the repair of " + sn, 201);
        }
    }

}
