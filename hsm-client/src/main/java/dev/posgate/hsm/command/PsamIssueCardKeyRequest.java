package dev.posgate.hsm.command;

import dev.posgate.hsm.LmkKey;
import java.util.Objects;

/**
 * ZE (extension) PSAM issuance: derive the card master key from the PSAM root key and the card
 * number (PBOC diversification, {@code Diversification.pboc} with {@code psamDiversifier}) and
 * export it under the issuing transport key (a ZMK).
 *
 * <pre>
 * ZE rootKey(1A+nH, type 40E) cardNumberLength(2N) cardNumber(1..20 N) transportKey(1A+nH, type 000)
 * ZF error(2) cardKeyUnderTransportKey('X' + 32H) kcv(8H)
 * </pre>
 */
public record PsamIssueCardKeyRequest(LmkKey rootKey, String cardNumber, LmkKey transportKey)
        implements HsmRequest<ExportKeyReply> {

    public PsamIssueCardKeyRequest {
        Objects.requireNonNull(rootKey, "rootKey");
        Objects.requireNonNull(cardNumber, "cardNumber");
        Objects.requireNonNull(transportKey, "transportKey");
        if (!Fields.isDigits(cardNumber, 1, 20)) {
            throw new IllegalArgumentException("card number must be 1..20 digits");
        }
    }

    @Override
    public String commandCode() {
        return "ZE";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.key(rootKey);
        Fields.writeDigits(w, cardNumber);
        w.key(transportKey);
    }

    public static PsamIssueCardKeyRequest read(FieldReader r) {
        LmkKey root = r.lmkKey("PSAM root key");
        String card = Fields.digits(r, 20, "card number");
        LmkKey tk = r.lmkKey("transport key");
        r.expectEnd();
        return new PsamIssueCardKeyRequest(root, card, tk);
    }

    @Override
    public ExportKeyReply readReply(FieldReader r) {
        return ExportKeyReply.read(r, 4);
    }
}
