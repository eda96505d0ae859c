package dev.posgate.hsm.sim;

import dev.posgate.crypto.Aes;
import dev.posgate.crypto.Digests;
import dev.posgate.crypto.Hex;
import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.KeyBlockHeader;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.ThalesKeyBlock;
import dev.posgate.crypto.Tr31;
import dev.posgate.hsm.KeyType;
import java.util.Objects;

/**
 * The software HSM's key-block LMK, held next to the variant {@link Lmk}: keys of scheme
 * {@code S} are key blocks ({@link ThalesKeyBlock}) whose header carries the key's usage, mode
 * of use, version and exportability, bound to the key by the block's MAC — PCI PIN requirement
 * 18-3's "key blocks for keys at rest".
 *
 * <p>An AES key-block LMK (version ID {@code 1}, 16/24/32 bytes) or a TDES one (version ID
 * {@code 0}, 16/24 bytes), with a 2-digit LMK identifier written in each block's reserved field
 * and checked on every use. Unless one is given, the simulator derives an AES-256 key-block LMK
 * from the variant LMK ({@link #derivedFrom}), so it survives restarts without another secret
 * to provision; a real HSM loads it from smart cards like the variant LMK.
 *
 * <p>Immutable and thread-safe; {@link #toString()} shows the check value only.
 */
public final class KeyBlockLmk {
    /** The identifier of the derived key-block LMK (the variant LMK being {@code 00}). */
    public static final String DEFAULT_ID = "01";

    private final byte[] key;
    private final char versionId;
    private final String id;

    private KeyBlockLmk(byte[] key, char versionId, String id) {
        Objects.requireNonNull(id, "id");
        if (id.length() != 2 || !Character.isDigit(id.charAt(0)) || !Character.isDigit(id.charAt(1))) {
            throw new IllegalArgumentException("LMK identifier must be 2 digits");
        }
        this.key = key.clone();
        this.versionId = versionId;
        this.id = id;
    }

    /** An AES key-block LMK (16, 24 or 32 bytes): version ID 1. */
    public static KeyBlockLmk aes(byte[] key, String id) {
        if (!Aes.isValidKeyLength(key.length)) {
            throw new IllegalArgumentException("an AES key-block LMK is 16, 24 or 32 bytes");
        }
        return new KeyBlockLmk(key, '1', id);
    }

    /** A TDES key-block LMK (16 or 24 bytes): version ID 0. */
    public static KeyBlockLmk tdes(byte[] key, String id) {
        if (key.length != 16 && key.length != 24) {
            throw new IllegalArgumentException("a TDES key-block LMK is 16 or 24 bytes");
        }
        return new KeyBlockLmk(key, '0', id);
    }

    /**
     * The simulator's default: an AES-256 key-block LMK, identifier {@code 01}, =
     * SHA-256(the variant LMK's cryptogram of a fixed triple-length value as a ZMK). A one-way
     * function of the variant LMK, stable across restarts.
     */
    public static KeyBlockLmk derivedFrom(Lmk lmk) {
        byte[] label = "posgate key-block LMK v1 (AES)\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] c = lmk.encrypt(KeyType.ZMK, java.util.Arrays.copyOf(label, 24)).cryptogram();
        return aes(Digests.sha256(c, label), DEFAULT_ID);
    }

    /** The LMK identifier ({@code %nn} in commands, reserved field of the blocks). */
    public String id() {
        return id;
    }

    /** {@code 0} TDES, {@code 1} AES. */
    public char versionId() {
        return versionId;
    }

    /**
     * Wraps {@code clear} with the attributes of {@code header} (its version ID and reserved field
     * are replaced by this LMK's); returns the block without the {@code S}.
     */
    String wrap(KeyBlockHeader header, byte[] clear, RandomSource random) {
        return ThalesKeyBlock.wrap(key, header.withVersionId(versionId).withReserved(id), clear, random);
    }

    /**
     * Unwraps a block (without the {@code S}); checks the MAC, that this LMK's version protects
     * it and that the LMK identifier is this one.
     *
     * @throws HsmCommandException A2 for another LMK identifier; the crypto exceptions otherwise
     */
    Tr31.Unwrapped unwrap(String block) {
        Tr31.Unwrapped u = ThalesKeyBlock.unwrap(key, block);
        if (!u.header().reserved().equals(id) || u.header().versionId() != versionId) {
            throw new HsmCommandException(KeyBlockCommands.INCOMPATIBLE_LMK_ID,
                    "key block under LMK " + u.header().reserved() + ", this is LMK " + id);
        }
        return u;
    }

    /** The LMK check value: the AES CMAC check value or the TDES one (6 hex), safe to log. */
    public String checkValue() {
        return versionId == '1' ? Hex.encode(Kcv.ofAes(key, 3)) : Kcv.hex6(key);
    }

    @Override
    public String toString() {
        return "KeyBlockLmk[" + id + (versionId == '1' ? " AES-" + key.length * 8 : " TDES") + " kcv=" + checkValue() + "]";
    }
}
