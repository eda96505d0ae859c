package dev.posgate.gateway.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.posgate.gateway.platform.ca.CaStore;
import dev.posgate.terminal.kms.Card;
import dev.posgate.protocol.pki.CertificateRejectedException;
import dev.posgate.protocol.pki.CertificateRole;
import dev.posgate.protocol.pki.CertificateVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code posgate ca ...}: the root and cards it writes verify with the roles they claim, and only those. */
class CaCommandTest {

    @Test
    void initAndIssueCardsThatVerifyWithTheirRoles() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "ca-cli-");
        assertEquals(0, Main.run("ca", "init", "--ca-dir", dir.toString()));
        assertEquals(0, Main.run("ca", "issue-card", "--ca-dir", dir.toString(), "--role", "administrator",
                "--holder", "Alice", "--out", dir.resolve("alice.p12").toString()));
        assertEquals(0, Main.run("ca", "acquirer", "--ca-dir", dir.toString(), "--id", "BANK1"));

        CertificateVerifier root = CertificateVerifier.trusting(CaStore.readCertificate(dir.resolve("root.crt")));
        Card alice = Card.load(dir.resolve("alice.p12"), CaStore.DEV_PASSWORD);
        root.verify(alice.certificate(), CertificateRole.ADMINISTRATOR, Instant.now());
        CertificateRejectedException e = assertThrows(CertificateRejectedException.class,
                () -> root.verify(alice.certificate(), CertificateRole.OPERATOR, Instant.now()));
        assertEquals(CertificateRejectedException.Reason.WRONG_ROLE, e.reason());
        assertTrue(Files.exists(dir.resolve("acquirer-BANK1.crt")));
        assertNotEquals(0, Main.run("ca", "issue-card", "--ca-dir", dir.toString(), "--role", "janitor",
                "--holder", "Bob", "--out", dir.resolve("bob.p12").toString()));
    }
}
