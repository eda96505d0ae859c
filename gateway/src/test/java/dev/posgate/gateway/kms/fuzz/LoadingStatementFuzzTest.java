package dev.posgate.gateway.kms.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.posgate.gateway.kms.store.AuthorisationRefusedException;
import dev.posgate.gateway.kms.store.LoadingStatement;
import dev.posgate.gateway.kms.store.LoadingStatementVerifier;
import dev.posgate.gateway.platform.ca.CaStore;
import dev.posgate.gateway.platform.ca.CertificateAuthority;
import dev.posgate.terminal.kms.Card;
import dev.posgate.terminal.kms.TkBatch;
import dev.posgate.protocol.pki.CertificateRole;
import dev.posgate.protocol.pki.CertificateVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A key-loading authorisation statement (CMS SignedData, docs/kms.md) from arbitrary bytes: a
 * typed refusal ({@link AuthorisationRefusedException}, 400 or 403) or a statement within its
 * documented bounds, never another exception. The last input byte chooses between raw bytes as
 * the DER and bytes as the content signed by an operator card of the test CA.
 */
class LoadingStatementFuzzTest {
    private static final LoadingStatementVerifier VERIFIER;
    private static final Card OPERATOR;

    static {
        try {
            Path dir = Files.createTempDirectory(Path.of("target"), "fuzz-loading-");
            CertificateAuthority root = new CaStore(dir.resolve("ca")).root();
            VERIFIER = new LoadingStatementVerifier(CertificateVerifier.trusting(root.root()));
            Path p12 = dir.resolve("op.p12");
            CaStore.issueCard(root, CertificateRole.OPERATOR, "op", 30, p12, CaStore.DEV_PASSWORD);
            OPERATOR = Card.load(p12, CaStore.DEV_PASSWORD);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void verify(FuzzedDataProvider data) {
        boolean signContent = data.consumeBoolean();
        byte[] bytes = data.consumeRemainingAsBytes();
        byte[] der = signContent ? TkBatch.sign(bytes, List.of(OPERATOR)) : bytes;
        LoadingStatementVerifier.Signed s;
        try {
            s = VERIFIER.verify(der, LoadingStatement.OPEN, Instant.now());
        } catch (AuthorisationRefusedException expected) {
            assertTrue(expected.httpStatus() == 400 || expected.httpStatus() == 403);
            return;
        }
        assertTrue(signContent, "an unsigned input cannot carry a card signature of this CA");
        assertEquals(LoadingStatement.OPEN, s.statement().action());
        assertTrue(s.statement().sn().length() >= 1 && s.statement().sn().length() <= 32);
    }
}
