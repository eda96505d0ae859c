package dev.posgate.protocol.tms.handshake;

import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.protocol.tms.TmsCipher;

/**
 * The TMS side of one connection: which transactions are allowed now, and what the handshake
 * established. Order (protocol.md section 3): H1 first, H2 only after a successful H1, D* only
 * after a successful H2; a failed authentication ends the session. {@code K} is how the host
 * holds the DWK (under the HSM's LMK in the gateway); {@code P} is whatever the host keeps about
 * the authenticated terminal. No locks: one connection's state, and the gateway confines a
 * connection to its event loop (HSM and database futures complete on the caller's context; the
 * gateway's session thread check catches a chain that does not).
 */
public final class HostSession<K, P> {
    /** Where the handshake stands. */
    public enum Stage { NEW, AWAITING_SAC, AUTHENTICATED, CLOSED }

    private final SeqWindow seqs = new SeqWindow();
    private Stage stage = Stage.NEW;
    private String serial;
    private P terminal;
    private K dwk;
    private K macKey;
    private K dataKey;
    private StampedRandom sData;
    private TmsCipher cipher = TmsCipher.TDES;
    private int busy;

    /** Whether a request may run: the verdict of {@link #admit}. */
    public enum Admission { ADMITTED, OUT_OF_ORDER, DUPLICATE_SEQ }

    /**
     * Order first, then seq: only admitted requests consume a seq, so requests refused for their
     * order (an unauthenticated peer's) cannot grow the session's memory, and the seqs are kept in a
     * bounded window ({@link SeqWindow}).
     */
    public Admission admit(TmsCode code, long seq) {
        if (!admits(code)) return Admission.OUT_OF_ORDER;
        return seqs.firstUse(seq) ? Admission.ADMITTED : Admission.DUPLICATE_SEQ;
    }

    /**
     * Whether {@code code} may run now. A request that arrives while another handshake step is
     * still in flight is out of order too: the steps depend on each other's outcome.
     */
    public boolean admits(TmsCode code) {
        if (busy > 0 && (code == TmsCode.H1 || code == TmsCode.H2)) return false;
        return switch (code) {
            case H1 -> stage == Stage.NEW;
            case H2 -> stage == Stage.AWAITING_SAC;
            case D1, D2, D3 -> stage == Stage.AUTHENTICATED;
            default -> false;
        };
    }

    /** Marks a handshake step in flight (H1 or H2), until {@link #done()}. */
    public void begin() {
        busy++;
    }

    public void done() {
        busy--;
    }

    /** H1 passed for a TDES terminal: the DWK and S_DATA to check SAC_1 against. */
    public void challenged(String serial, P terminal, K dwk, StampedRandom sData) {
        challenged(serial, terminal, dwk, sData, TmsCipher.TDES);
    }

    /** H1 passed: the DWK of the terminal's cipher family and S_DATA to check SAC_1 against. */
    public void challenged(String serial, P terminal, K dwk, StampedRandom sData, TmsCipher cipher) {
        requireStage(Stage.NEW);
        this.cipher = cipher;
        this.serial = serial;
        this.terminal = terminal;
        this.dwk = dwk;
        this.sData = sData;
        stage = Stage.AWAITING_SAC;
    }

    /**
     * Mode 03 (TMS protocol version 2): the session's TAK and DEK, role-separated keys the DWK only
     * carried. Without them the DWK is both ({@link #macKey()}, {@link #dataKey()}).
     */
    public void sessionKeys(K macKey, K dataKey) {
        requireStage(Stage.AWAITING_SAC);
        this.macKey = macKey;
        this.dataKey = dataKey;
    }

    /** The key of TAC/SAC and of the sealed bodies' MAC: the TAK in mode 03, else the DWK. */
    public K macKey() {
        return macKey != null ? macKey : dwk;
    }

    /** The key the sealed bodies are encrypted under: the DEK in mode 03, else the DWK. */
    public K dataKey() {
        return dataKey != null ? dataKey : dwk;
    }

    /** H2 passed: the download phase is open. */
    public void authenticated() {
        requireStage(Stage.AWAITING_SAC);
        stage = Stage.AUTHENTICATED;
    }

    /** Authentication failed: nothing more is accepted on this connection. */
    public void fail() {
        stage = Stage.CLOSED;
        dwk = null;
        macKey = null;
        dataKey = null;
    }

    public Stage stage() {
        return stage;
    }

    public String serial() {
        return serial;
    }

    public P terminal() {
        return terminal;
    }

    public K dwk() {
        return dwk;
    }

    /** The session's cipher family (TDES until H1 says otherwise): the sealed bodies' block and layout. */
    public TmsCipher cipher() {
        return cipher;
    }

    public StampedRandom sData() {
        return sData;
    }

    private void requireStage(Stage expected) {
        if (stage != expected) throw new IllegalStateException("handshake is " + stage + ", expected " + expected);
    }
}
