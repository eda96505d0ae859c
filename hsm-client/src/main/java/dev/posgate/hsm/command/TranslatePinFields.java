package dev.posgate.hsm.command;

import dev.posgate.hsm.PinBlockFormat;
import java.util.Objects;

/**
 * What a PIN translation (CA, CC) carries after its two keys, whether they are variant keys
 * ({@link TranslatePinRequest}) or key blocks ({@code KeyBlockTranslatePinRequest}), and its CB/CD reply:
 * the one place that checks, writes and reads that layout.
 *
 * <pre>
 * ... maxPinLength(2N) pinBlock(16H) sourceFormat(2N) destinationFormat(2N) account(12N)
 * CB|CD error(2) pinLength(2N) pinBlock(16H) destinationFormat(2N)
 * </pre>
 */
public final class TranslatePinFields {
    private TranslatePinFields() {
    }

    /** The fields as read, handed to the request's constructor. */
    @FunctionalInterface
    public interface Read<R> {
        R of(int maxPinLength, byte[] pinBlock, PinBlockFormat sourceFormat, PinBlockFormat destinationFormat, String account);
    }

    /** Checks the fields for a request's constructor; returns a copy of {@code pinBlock} for it to keep. */
    public static byte[] checked(int maxPinLength, byte[] pinBlock, PinBlockFormat sourceFormat,
                                 PinBlockFormat destinationFormat, String account) {
        Objects.requireNonNull(pinBlock, "pinBlock");
        Objects.requireNonNull(sourceFormat, "sourceFormat");
        Objects.requireNonNull(destinationFormat, "destinationFormat");
        Objects.requireNonNull(account, "account");
        if (pinBlock.length != 8) {
            throw new IllegalArgumentException("PIN block must be 8 bytes");
        }
        if (!Fields.isDigits(account, 12, 12)) {
            throw new IllegalArgumentException("account must be 12 digits");
        }
        if (maxPinLength < 4 || maxPinLength > 12) {
            throw new IllegalArgumentException("max PIN length must be 4..12");
        }
        return pinBlock.clone();
    }

    public static void write(FieldWriter w, int maxPinLength, byte[] pinBlock, PinBlockFormat sourceFormat,
                             PinBlockFormat destinationFormat, String account) {
        w.decimal(maxPinLength, 2).hex(pinBlock).ascii(sourceFormat.code()).ascii(destinationFormat.code()).ascii(account);
    }

    /** Reads the fields after the keys, up to the end of the command, into {@code request}. */
    public static <R> R read(FieldReader r, Read<R> request) {
        int max = r.decimal(2, "maximum PIN length");
        if (max < 4 || max > 12) {
            throw new FieldException("24", "maximum PIN length outside 4..12");
        }
        byte[] block = r.hex(16, "PIN block");
        PinBlockFormat sf = format(r, "source PIN block format");
        PinBlockFormat df = format(r, "destination PIN block format");
        String account = r.ascii(12, "account number");
        if (!Fields.isDigits(account, 12, 12)) {
            throw new FieldException("15", "account number must be 12 digits");
        }
        r.expectEnd();
        return request.of(max, block, sf, df, account);
    }

    private static PinBlockFormat format(FieldReader r, String what) {
        String code = r.ascii(2, what);
        PinBlockFormat f = PinBlockFormat.ofCode(code);
        if (f == null) {
            throw new FieldException("23", what + ": unsupported " + code);
        }
        return f;
    }

    /** The CB/CD reply's fields. */
    public static TranslatePinReply readReply(FieldReader r) {
        int len = r.decimal(2, "PIN length");
        byte[] block = r.hex(16, "PIN block");
        PinBlockFormat f = PinBlockFormat.ofCode(r.ascii(2, "PIN block format"));
        if (f == null) {
            throw new FieldException("15", "unknown PIN block format in reply");
        }
        r.expectEnd();
        return new TranslatePinReply(len, block, f);
    }
}
