package dev.posgate.terminal.kms;

/** TK generation aborted by the guard: nothing was generated and nothing is sent. */
public final class TkGenerationRefusedException extends RuntimeException {
    public TkGenerationRefusedException(String message) {
        super(message);
    }
}
