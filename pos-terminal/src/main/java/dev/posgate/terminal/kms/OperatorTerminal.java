package dev.posgate.terminal.kms;

import dev.posgate.protocol.pki.CertificateRejectedException;
import dev.posgate.protocol.pki.CertificateRole;
import dev.posgate.protocol.pki.CertificateVerifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The factory operator terminal (CN103729940A step 3): collects terminal outputs for one
 * production order and, only while an operator card and an administrator card are both present
 * and both verify against the CA, packs them into a batch signed by both cards.
 */
public final class OperatorTerminal {
    private final CertificateVerifier ca;
    private final List<TerminalOutput> collected = new ArrayList<>();
    private final String productionOrder;

    public OperatorTerminal(CertificateVerifier ca, String productionOrder) {
        this.ca = ca;
        this.productionOrder = productionOrder;
    }

    public OperatorTerminal collect(TerminalOutput output) {
        collected.add(output);
        return this;
    }

    public List<TerminalOutput> collected() {
        return List.copyOf(collected);
    }

    /** The signed batch; refused unless both cards verify with their roles. */
    public byte[] signedBatch(Card operator, Card administrator, Instant now) throws CertificateRejectedException {
        ca.verify(operator.certificate(), CertificateRole.OPERATOR, now);
        ca.verify(administrator.certificate(), CertificateRole.ADMINISTRATOR, now);
        return TkBatch.sign(TkBatch.content(productionOrder, collected), List.of(operator, administrator));
    }
}
