package dev.posgate.gateway.kms.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.posgate.gateway.kms.admin.BatchRejectedException;
import dev.posgate.gateway.kms.admin.BatchVerifier;
import dev.posgate.gateway.kms.admin.SignedBatch;
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
 * The KMS operator batch (CMS SignedData, docs/kms.md) from arbitrary bytes: a typed refusal
 * ({@link BatchRejectedException}, answered 30 or 63) or a batch within its documented bounds,
 * never another exception. The last input byte chooses between raw bytes as the DER (fuzzes the
 * CMS/ASN.1 parsing and signer checks) and bytes as the content, properly signed by an operator
 * and an administrator card of the test CA (fuzzes the JSON content parsing behind the signatures).
 */
class BatchVerifierFuzzTest {
    private static final BatchVerifier VERIFIER;
    private static final List<Card> CARDS;

    static {
        try {
            Path dir = Files.createTempDirectory(Path.of("target"), "fuzz-ca-");
            CertificateAuthority root = new CaStore(dir.resolve("ca")).root();
            VERIFIER = new BatchVerifier(CertificateVerifier.trusting(root.root()));
            CARDS = List.of(card(root, dir, CertificateRole.OPERATOR, "op"), card(root, dir, CertificateRole.ADMINISTRATOR, "admin"));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static Card card(CertificateAuthority root, Path dir, CertificateRole role, String holder) throws Exception {
        Path p12 = dir.resolve(holder + ".p12");
        CaStore.issueCard(root, role, holder, 30, p12, CaStore.DEV_PASSWORD);
        return Card.load(p12, CaStore.DEV_PASSWORD);
    }

    @FuzzTest(maxDuration = "10s")
    void verify(FuzzedDataProvider data) {
        boolean signContent = data.consumeBoolean();
        byte[] bytes = data.consumeRemainingAsBytes();
        byte[] der = signContent ? TkBatch.sign(bytes, CARDS) : bytes;
        SignedBatch batch;
        try {
            batch = VERIFIER.verify(der, Instant.now());
        } catch (BatchRejectedException expected) {
            return;
        }
        assertTrue(signContent, "an unsigned input cannot carry both card signatures of this CA");
        assertFalse(batch.entries().isEmpty());
        assertTrue(batch.entries().size() <= 1000);
        assertTrue(batch.productionOrder() != null && !batch.productionOrder().isBlank());
    }
}
