package dev.posgate.hsm.command;

import dev.posgate.hsm.LmkSm2PrivateKey;
import java.util.Objects;

/**
 * K3 sign data SM3withSM2 with a private key under the LMK: e = SM3(Z_A ‖ M), Z_A over the default
 * user id {@code 1234567812345678} (hash id 01) or the given one (02). Code and field order of the
 * K3 command of Racal-compatible Chinese HSMs.
 *
 * <pre>
 * K3 keyIndex(2N: 99) privateKeyLength(4N) privateKey(nB) hashId(2N: 01 | 02)
 *    [02: userIdLength(4N) userId(nB)] dataLength(4N) data(nB)
 * K4 error(2) r(32B) s(32B)
 * </pre>
 */
public record Sm2SignRequest(LmkSm2PrivateKey privateKey, byte[] userId, byte[] data)
        implements HsmRequest<Sm2SignatureReply> {
    /** Hash id: SM3 with the default user id. */
    public static final String SM3_DEFAULT_ID = "01";
    /** Hash id: SM3 with the user id in the command. */
    public static final String SM3_WITH_ID = "02";

    public Sm2SignRequest {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(data, "data");
        if (data.length == 0 || data.length > 9999 || userId != null && (userId.length == 0 || userId.length > 8191)) {
            throw new IllegalArgumentException("bad data or user id length");
        }
        data = data.clone();
        userId = Fields.copy(userId);
    }

    @Override
    public byte[] userId() {
        return Fields.copy(userId);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public String commandCode() {
        return "K3";
    }

    @Override
    public void writeFields(FieldWriter w) {
        Fields.writeSm2PrivateKey(w, privateKey);
        if (userId == null) {
            w.ascii(SM3_DEFAULT_ID);
        } else {
            w.ascii(SM3_WITH_ID).lengthPrefixed(userId);
        }
        w.lengthPrefixed(data);
    }

    public static Sm2SignRequest read(FieldReader r) {
        LmkSm2PrivateKey key = Fields.sm2PrivateKey(r);
        String hashId = r.ascii(2, "hash id");
        byte[] userId;
        if (hashId.equals(SM3_DEFAULT_ID)) {
            userId = null;
        } else if (hashId.equals(SM3_WITH_ID)) {
            userId = r.lengthPrefixed("user id");
        } else {
            throw new FieldException("04", "unsupported hash id " + hashId);
        }
        byte[] data = r.lengthPrefixed("data");
        r.expectEnd();
        return new Sm2SignRequest(key, userId, data);
    }

    @Override
    public Sm2SignatureReply readReply(FieldReader r) {
        byte[] rs = r.bytes(64, "signature");
        r.expectEnd();
        return new Sm2SignatureReply(rs);
    }
}
