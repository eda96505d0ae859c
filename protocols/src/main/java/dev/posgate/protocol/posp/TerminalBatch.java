package dev.posgate.protocol.posp;

/**
 * The terminal side of the POSP session, I/O-free: STAN and batch counters and whether the
 * terminal holds working keys it may use. {@code PosClient} drives it from the answers it gets.
 * Not thread-safe: a POS terminal has one request outstanding at a time.
 */
public final class TerminalBatch {
    private int batch;
    private int stan;
    private boolean signedOn;

    public TerminalBatch(int batch) {
        if (batch < 1 || batch > 999_999) throw new IllegalArgumentException("batch must be 1..999999");
        this.batch = batch;
    }

    /** 60.2 of the next message. */
    public String batch() {
        return String.format("%06d", batch);
    }

    /** The next STAN, 000001..999999 then round again. */
    public String nextStan() {
        stan = stan % 999_999 + 1;
        return String.format("%06d", stan);
    }

    /** The STAN the next call to {@link #nextStan} returns. */
    public String peekStan() {
        return String.format("%06d", stan % 999_999 + 1);
    }

    public boolean signedOn() {
        return signedOn;
    }

    /** A sign-on answered {@code code}; the keys count only if the key holder accepted them. */
    public void onSignOn(String code, boolean keysAccepted) {
        signedOn = "00".equals(code) && keysAccepted;
    }

    /** Any answer: {@code 77} or processing requirement 3 means the keys are no longer good. */
    public void onAnswer(String code, int processingRequirement) {
        if ("77".equals(code) || processingRequirement == 3) signedOn = false;
    }

    /** A settlement answer: approved and in balance closes the batch, the next one starts. */
    public void onSettlement(String code, String field48) {
        if ("00".equals(code) && BatchTotals.flagOf(field48) == BatchTotals.IN_BALANCE) {
            batch = batch % 999_999 + 1;
        }
    }

    /** The answer to the end of a batch upload (0330, 60.3 202): accepted, the batch is closed and the next one begins. */
    public void onUploadEnd(String code) {
        if ("00".equals(code)) batch = batch % 999_999 + 1;
    }
}
