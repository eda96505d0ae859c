package dev.posgate.protocol.tms.handshake;

import dev.posgate.crypto.Macs;
import dev.posgate.protocol.tms.TmsCipher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The terminal side of the handshake: builds H1, checks TAC_1 after recovering the DWK with the
 * DMK (inside the PIN pad: {@code dmkDecrypt}), answers SAC_1, and opens the key message.
 * The clear DWK lives here, on the terminal, for the rest of the session. The terminal's cipher
 * family ({@link TmsCipher}: TDES, or SM4 for a terminal with the SM4 profile) decides the TAC,
 * the key unwrapping and the KCVs; an H1 answer of another family (DF15) is a TAC mismatch.
 */
public final class TerminalHandshake {
    /** A key from the key message, recovered and KCV-checked. */
    public record RecoveredKey(int kind, int index, byte[] clearKey) {
        @Override
        public String toString() {
            return "RecoveredKey[kind=" + kind + " index=" + index + "]";
        }
    }

    private final H1Request h1;
    private final TmsCipher cipher;
    private byte[] dwk;
    private byte[] macKey;
    private byte[] dataKey;
    private TmsCipher session;
    private boolean tacMatched;

    public TerminalHandshake(H1Request h1) {
        this(h1, TmsCipher.TDES);
    }

    public TerminalHandshake(H1Request h1, TmsCipher cipher) {
        this.h1 = h1;
        this.cipher = cipher;
    }

    public TmsCipher cipher() {
        return cipher;
    }

    public H1Request h1() {
        return h1;
    }

    /**
     * Processes the H1 answer: DWK = D_DMK(DWK_1), TAC_0 = MAC(DWK, T_DATA) compared with TAC_1,
     * SAC_1 = MAC(DWK, S_DATA). A mismatch is reported in H2 (DF17 = 01): the TMS then ends the session.
     */
    public H2Request onH1(H1Response r, UnaryOperator<byte[]> dmkDecrypt) {
        dwk = dmkDecrypt.apply(r.dwkUnderDmk());
        // mode 03 (version 2, session keys) only when this terminal offered version 2 in DF05
        boolean modeAgreed = r.cipher() == cipher
                || r.cipher() == TmsCipher.TDES_SESSION_KEYS && cipher == TmsCipher.TDES && h1.protocolVersion() >= 2;
        session = modeAgreed ? r.cipher() : cipher;
        if (modeAgreed && session.sessionKeys()) {
            // version 2: the DWK only unwraps; TAC/SAC under the TAK, bodies under DEK + TAK
            macKey = session.unwrap(dwk, r.takUnderDwk());
            dataKey = session.unwrap(dwk, r.dekUnderDwk());
        } else {
            macKey = dwk;
            dataKey = dwk;
        }
        tacMatched = modeAgreed && Macs.verify(session.tac(macKey, h1.tData().encode()), r.tac());
        byte[] sac = session.tac(macKey, r.sData().encode());
        return new H2Request(h1.serial(), tacMatched, sac);
    }

    /** The mode the TMS chose in H1 (DF15), once agreed: {@link TmsCipher#TDES_SESSION_KEYS} for version 2. */
    public TmsCipher session() {
        if (session == null) throw new IllegalStateException("no mode before H1");
        return session;
    }

    /** The session's MAC key: the DWK in modes 01/02, the TAK of DF18 in mode 03 (terminal side only). */
    public byte[] macKey() {
        if (macKey == null) throw new IllegalStateException("no MAC key before H1");
        return macKey.clone();
    }

    /** The session's data key: the DWK in modes 01/02, the DEK of DF19 in mode 03 (terminal side only). */
    public byte[] dataKey() {
        if (dataKey == null) throw new IllegalStateException("no data key before H1");
        return dataKey.clone();
    }

    public boolean tacMatched() {
        return tacMatched;
    }

    /** The keys of the H2 key message; an entry whose KCV does not match is refused. */
    public List<RecoveredKey> onH2(H2Response r) {
        if (!tacMatched) throw new IllegalStateException("the TMS was not authenticated");
        List<RecoveredKey> keys = new ArrayList<>();
        for (KeyMessageEntry e : r.keys()) {
            byte[] clear = cipher.unwrap(dwk, e.keyUnderDwk());
            if (!Macs.verify(e.kcv(), cipher.kcv(clear, 4))) {
                Arrays.fill(clear, (byte) 0);
                throw new SecurityException("key message entry " + e + " fails its KCV");
            }
            keys.add(new RecoveredKey(e.kind(), e.index(), clear));
        }
        return keys;
    }

    /** The session's DWK (terminal side only). */
    public byte[] dwk() {
        if (dwk == null) throw new IllegalStateException("no DWK before H1");
        return dwk.clone();
    }
}
