package dev.posgate.iso8583;

/**
 * Base of every wire-format error raised by this module: {@code PosFormatException},
 * {@code TlvFormatException}, {@code TmsFormatException}.
 *
 * <p>Unchecked on purpose: a format error is a property of the bytes a peer sent, handled once at the
 * edge (answer {@code 30} or close the connection), not at every call site. {@link #reason()} is a
 * small enum whose {@link #label()} is meant to be used verbatim as a metric tag.
 */
public abstract class FormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected FormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The machine-readable reason; each subclass narrows the return type to its own enum. */
    public abstract Enum<?> reason();

    /** {@code reason().name()}: a stable, low-cardinality metric label. */
    public final String label() {
        return reason().name();
    }
}
