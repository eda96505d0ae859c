package dev.posgate.terminal.tms;

/** The TMS answered a request with a status other than {@code 00}. */
public final class TmsStatusException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String status;

    public TmsStatusException(String code, String status) {
        super(code + " answered " + status);
        this.status = status;
    }

    public String status() {
        return status;
    }
}
