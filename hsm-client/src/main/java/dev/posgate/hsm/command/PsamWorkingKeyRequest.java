package dev.posgate.hsm.command;

import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import java.util.Objects;

/**
 * ZG (extension) generate a working key for a PSAM terminal: random key, returned under the LMK
 * and under the card master key the HSM derives from the root key and the card number.
 *
 * <pre>
 * ZG rootKey(1A+nH, type 40E) cardNumberLength(2N) cardNumber(1..20 N)
 *    keyType(3H: 002 PIK, 003 MAK, 00B TDK) schemeLMK(1A)
 * ZH error(2) key(1A+nH) keyUnderCardKey(1A+nH, Z/X/Y) kcv(8H)
 * </pre>
 */
public record PsamWorkingKeyRequest(LmkKey rootKey, String cardNumber, KeyType keyType, KeyScheme lmkScheme)
        implements HsmRequest<GenerateKeyReply> {

    public PsamWorkingKeyRequest {
        Objects.requireNonNull(rootKey, "rootKey");
        Objects.requireNonNull(cardNumber, "cardNumber");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(lmkScheme, "lmkScheme");
        if (!Fields.isDigits(cardNumber, 1, 20)) {
            throw new IllegalArgumentException("card number must be 1..20 digits");
        }
        if (!lmkScheme.isLmkScheme()) {
            throw new IllegalArgumentException("not an LMK scheme: " + lmkScheme);
        }
    }

    @Override
    public String commandCode() {
        return "ZG";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.key(rootKey);
        Fields.writeDigits(w, cardNumber);
        w.ascii(keyType.code()).ch(lmkScheme.tag());
    }

    public static PsamWorkingKeyRequest read(FieldReader r) {
        LmkKey root = r.lmkKey("PSAM root key");
        String card = Fields.digits(r, 20, "card number");
        KeyType type = Fields.keyType(r, "04");
        KeyScheme scheme = Fields.lmkScheme(r);
        r.expectEnd();
        return new PsamWorkingKeyRequest(root, card, type, scheme);
    }

    @Override
    public GenerateKeyReply readReply(FieldReader r) {
        return GenerateKeyReply.read(r, true, 4);
    }
}
