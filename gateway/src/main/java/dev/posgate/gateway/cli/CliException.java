package dev.posgate.gateway.cli;

/**
 * A CLI command's failure as the operator reads it: one line saying what failed and what to
 * check. {@link Main}'s execution-exception handler prints the message alone (no stack trace)
 * and exits non-zero.
 */
public final class CliException extends RuntimeException {
    private final int exitCode;

    public CliException(String message) {
        this(message, 1);
    }

    public CliException(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
