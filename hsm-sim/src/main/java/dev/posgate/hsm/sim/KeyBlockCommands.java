package dev.posgate.hsm.sim;

import static dev.posgate.hsm.sim.SimContext.error;
import static dev.posgate.hsm.sim.SimContext.requireType;
import static dev.posgate.hsm.sim.SimContext.wipe;

import dev.posgate.crypto.Hex;
import dev.posgate.crypto.IntegrityException;
import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.KeyBlockException;
import dev.posgate.crypto.KeyBlockHeader;
import dev.posgate.crypto.Tr31;
import dev.posgate.crypto.Parity;
import dev.posgate.hsm.HsmErrors;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.HsmReply;
import dev.posgate.hsm.command.MacReply;
import dev.posgate.hsm.command.VerifyMacRequest;
import dev.posgate.hsm.keyblock.KeyBlockMacRequest;
import dev.posgate.hsm.keyblock.KeyBlockTranslatePinRequest;
import dev.posgate.hsm.MacAlgorithm;
import dev.posgate.crypto.Macs;
import dev.posgate.crypto.PaddingMethod;
import dev.posgate.hsm.keyblock.KeyBlockExportRequest;
import dev.posgate.hsm.keyblock.KeyBlockGenerateRequest;
import dev.posgate.hsm.keyblock.KeyBlockImportRequest;
import dev.posgate.hsm.keyblock.KeyBlockKey;
import dev.posgate.hsm.keyblock.KeyBlockReply;
import dev.posgate.hsm.keyblock.Tr31Attributes;
import dev.posgate.hsm.keyblock.Tr31ExportRequest;
import dev.posgate.hsm.keyblock.Tr31GenerateRequest;
import dev.posgate.hsm.keyblock.Tr31ImportRequest;
import java.util.Set;

/**
 * The key-block forms of A0, A6 and A8 (key type {@code FFF}): keys under the key-block LMK
 * (scheme {@code S}) and their exchange with other parties as TR-31 blocks (scheme {@code R})
 * under a ZMK that is itself a key-block key. The variant forms stay in
 * {@link KeyManagementCommands}; {@link #route} picks this class for a request that is a
 * key-block one.
 *
 * <p>Policy, from the headers (which the MACs bind to the keys), as the payShield A0/A6/A8
 * manual pages tabulate it for a key-block ZMK:
 * <ul>
 *   <li>a ZMK has key usage {@code K0}, {@code 51} or {@code 52} ({@code K1}, TR-31's KBPK, is
 *       posgate's addition), algorithm D, T or A, and mode of use {@code B} or {@code N}, or
 *       {@code E} to export / {@code D} to import; else {@value #INVALID_KEY_USAGE} /
 *       {@value #INVALID_MODE_OF_USE};</li>
 *   <li>only a key with exportability {@code E} or {@code S} leaves under a ZMK; {@code N} gives
 *       {@value #INVALID_EXPORTABILITY};</li>
 *   <li>TR-31 version: as requested ({@code !}), else B under a TDES ZMK (the derivation method
 *       TR-31:2018 recommends), D under an AES one, C under a single-DES one; a version the
 *       ZMK cannot make gives 27; import accepts A, B, C or D;</li>
 *   <li>a key block whose MAC fails (another LMK, tampered header): {@value #AUTHENTICATION_FAILURE};
 *       another LMK identifier: {@value #INCOMPATIBLE_LMK_ID}; malformed: 15.</li>
 * </ul>
 */
final class KeyBlockCommands {
    /** LMK identifier of the request or block is not this key-block LMK's. */
    static final String INCOMPATIBLE_LMK_ID = "A2";
    /** A key block's MAC does not verify. */
    static final String AUTHENTICATION_FAILURE = "A4";
    /** The key's usage does not permit the operation. */
    static final String INVALID_KEY_USAGE = "A6";
    /** The block's algorithm does not fit. */
    static final String INVALID_ALGORITHM = "A7";
    /** The key's mode of use does not permit the operation. */
    static final String INVALID_MODE_OF_USE = "A8";
    /** The key's exportability forbids the export. */
    static final String INVALID_EXPORTABILITY = "AA";

    private static final Set<String> KEK_USAGES = Set.of("K0", "K1", "51", "52");

    private final SimContext ctx;
    private final KeyBlockLmk lmk;

    KeyBlockCommands(SimContext ctx, KeyBlockLmk lmk) {
        this.ctx = ctx;
        this.lmk = lmk;
    }

    /** The same commands under another key-block LMK. */
    KeyBlockCommands with(KeyBlockLmk other) {
        return new KeyBlockCommands(ctx, other);
    }

    /** The handler for a key-block request, or null when {@code command} is not one. */
    CommandHandler route(String code, byte[] command) {
        return switch (code) {
            case "A0" -> KeyBlockGenerateRequest.isKeyBlock(command) ? this::generate
                    : Tr31GenerateRequest.matches(command) ? this::generateVariant : null;
            case "A6" -> KeyBlockImportRequest.isKeyBlock(command) ? this::importKey
                    : Tr31ImportRequest.matches(command) ? this::importVariant : null;
            case "A8" -> KeyBlockExportRequest.isKeyBlock(command) ? this::exportKey
                    : Tr31ExportRequest.matches(command) ? this::exportVariant : null;
            case "M6" -> KeyBlockMacRequest.isKeyBlock(command) ? this::generateMac : null;
            case "CA" -> KeyBlockTranslatePinRequest.isKeyBlock(command) ? this::translatePin : null;
            case "M8" -> KeyBlockMacRequest.isKeyBlock(command) ? this::verifyMac : null;
            default -> null;
        };
    }

    /**
     * CA with {@code S} keys: the TPK must be usage P0 that may decrypt (mode B or D), the ZPK P0 that
     * may encrypt (B or E), both TDES (errors A6, A8, A7); then the variant CA's translation.
     */
    private HsmReply translatePin(FieldReader r) {
        KeyBlockTranslatePinRequest req = KeyBlockTranslatePinRequest.read(r);
        byte[] src = null;
        byte[] dst = null;
        try {
            src = pinKey(req.tpk(), 'D');
            dst = pinKey(req.zpk(), 'E');
            return PinCommands.translate(ctx, src, dst, req.maxPinLength(), req.pinBlock(), req.sourceFormat(),
                    req.destinationFormat(), req.account());
        } finally {
            wipe(src, dst);
        }
    }

    private byte[] pinKey(KeyBlockKey k, char direction) {
        Tr31.Unwrapped u = open(k);
        KeyBlockHeader h = u.header();
        byte[] key = u.key();
        String problem = null;
        String code = null;
        if (!h.keyUsage().equals("P0")) {
            code = INVALID_KEY_USAGE;
            problem = "key usage " + h.keyUsage() + " is not a PIN encryption key";
        } else if (h.modeOfUse() != 'B' && h.modeOfUse() != direction) {
            code = INVALID_MODE_OF_USE;
            problem = "mode of use " + h.modeOfUse() + " does not permit " + (direction == 'D' ? "decryption" : "encryption");
        } else if (h.algorithm() != 'T' && h.algorithm() != 'D') {
            code = INVALID_ALGORITHM;
            problem = "a " + h.algorithm() + " key for a TDES PIN block";
        }
        if (code != null) {
            wipe(key);
            throw error(code, problem);
        }
        return key;
    }

    private HsmReply generateMac(FieldReader r) {
        return new MacReply(mac(KeyBlockMacRequest.read(r), 'G'));
    }

    private HsmReply verifyMac(FieldReader r) {
        VerifyMacRequest<KeyBlockMacRequest> req = VerifyMacRequest.read(r, KeyBlockMacRequest::readCommon);
        return MacCommands.verified(Macs.verify(mac(req.data(), 'V'), req.mac()));
    }

    /**
     * M6/M8 under an {@code S} key: the block's header decides what it may do. Algorithm 1 needs key
     * usage {@code M0} or {@code M1}, algorithm 3 (X9.19) {@code M3} (TR-31's MAC usages); the mode of
     * use {@code C} (both) or {@code G} to generate / {@code V} to verify; a TDES key.
     */
    private byte[] mac(KeyBlockMacRequest req, char direction) {
        Tr31.Unwrapped u = open(req.key());
        KeyBlockHeader h = u.header();
        byte[] key = u.key();
        try {
            boolean alg3 = req.params().algorithm() == MacAlgorithm.ISO9797_ALG3;
            if (!(alg3 ? Set.of("M3") : Set.of("M0", "M1")).contains(h.keyUsage())) {
                throw error(INVALID_KEY_USAGE, "key usage " + h.keyUsage() + " is not a MAC key for this algorithm");
            }
            if (h.modeOfUse() != 'C' && h.modeOfUse() != direction) {
                throw error(INVALID_MODE_OF_USE, "mode of use " + h.modeOfUse() + " does not permit " + (direction == 'G' ? "M6" : "M8"));
            }
            if (h.algorithm() != 'T' && h.algorithm() != 'D') {
                throw error(INVALID_ALGORITHM, "a " + h.algorithm() + " key for a DES/TDES MAC");
            }
            PaddingMethod pad = req.params().padding();
            byte[] msg = req.message();
            if (pad == PaddingMethod.NONE && (msg.length == 0 || msg.length % 8 != 0)) {
                throw error("06", "unpadded message must be a non-empty multiple of 8 bytes");
            }
            if (alg3 && key.length != 16) throw error(HsmErrors.KEY_LENGTH, "X9.19 needs a double-length key");
            byte[] full = alg3 ? Macs.iso9797Alg3(key, msg, pad) : Macs.iso9797Alg1(key, msg, pad);
            return java.util.Arrays.copyOf(full, req.params().macLength());
        } finally {
            wipe(key);
        }
    }

    private HsmReply generate(FieldReader r) {
        KeyBlockGenerateRequest req = KeyBlockGenerateRequest.read(r);
        if (req.lmkId() != null) {
            checkLmkId(req.lmkId());
        }
        KeyBlockHeader header = req.attributes().header(lmk.versionId(), lmk.id());
        byte[] key = newKey(header.algorithm(), req.attributes().keyLength());
        Kek zmk = null;
        try {
            KeyBlockKey exported = null;
            if (req.exports()) {
                zmk = kek(req.zmk(), 'E', req.tr31Version());
                exported = KeyBlockKey.tr31(exportBlock(zmk, header, key, req.modifiedExportability()));
            }
            return new KeyBlockReply(KeyBlockKey.underLmk(lmk.wrap(header, key, ctx.random)), exported,
                    kcv(header.algorithm(), key));
        } finally {
            wipe(key, zmk == null ? null : zmk.key);
        }
    }

    private HsmReply exportKey(FieldReader r) {
        KeyBlockExportRequest req = KeyBlockExportRequest.read(r);
        if (req.lmkId() != null) {
            checkLmkId(req.lmkId());
        }
        Kek zmk = kek(req.zmk(), 'E', req.tr31Version());
        byte[] key = null;
        try {
            Tr31.Unwrapped u = open(req.key());
            key = u.key();
            return new KeyBlockReply(KeyBlockKey.tr31(exportBlock(zmk, u.header(), key, req.modifiedExportability())), null,
                    kcv(u.header().algorithm(), key));
        } finally {
            wipe(zmk.key, key);
        }
    }

    private HsmReply importKey(FieldReader r) {
        KeyBlockImportRequest req = KeyBlockImportRequest.read(r);
        if (req.lmkId() != null) {
            checkLmkId(req.lmkId());
        }
        Kek zmk = kek(req.zmk(), 'D', null);
        byte[] key = null;
        try {
            Tr31.Unwrapped u;
            try {
                u = Tr31.unwrap(zmk.key, req.key().block());
            } catch (IntegrityException e) {
                throw error(AUTHENTICATION_FAILURE, "TR-31 block does not verify under the ZMK");
            } catch (KeyBlockException e) {
                throw error(HsmErrors.INVALID_INPUT, "TR-31 block: " + e.getMessage());
            }
            key = u.key();
            KeyBlockHeader h = u.header();
            return new KeyBlockReply(KeyBlockKey.underLmk(lmk.wrap(h, key, ctx.random)), null, kcv(h.algorithm(), key));
        } finally {
            wipe(zmk.key, key);
        }
    }

    /**
     * A8 … R: a variant key out as a TR-31 block under a variant ZMK, with the caller's header
     * attributes checked against the key type ({@link Tr31Usages}).
     */
    private HsmReply exportVariant(FieldReader r) {
        Tr31ExportRequest req = Tr31ExportRequest.read(r);
        requireType(req.keyType(), KeyPolicy.UNDER_ZMK, HsmErrors.INVALID_KEY_TYPE);
        checkUsage(req.keyType(), req.attributes().keyUsage(), req.attributes().modeOfUse());
        byte[] zmk = ctx.clear(KeyType.ZMK, req.zmk(), HsmErrors.SOURCE_KEY_PARITY);
        byte[] key = null;
        try {
            key = ctx.clear(req.keyType(), req.key(), HsmErrors.DESTINATION_KEY_PARITY);
            String block = variantBlock(zmk, req.attributes(), req.tr31Version(), key);
            return new KeyBlockReply(KeyBlockKey.tr31(block), null, kcv('T', key));
        } finally {
            wipe(zmk, key);
        }
    }

    /** A0 mode 1 … R: a new variant key, and its TR-31 block under the variant ZMK. */
    private HsmReply generateVariant(FieldReader r) {
        Tr31GenerateRequest req = Tr31GenerateRequest.read(r);
        requireType(req.keyType(), KeyPolicy.UNDER_ZMK, HsmErrors.INVALID_KEY_TYPE);
        checkUsage(req.keyType(), req.attributes().keyUsage(), req.attributes().modeOfUse());
        byte[] zmk = ctx.clear(KeyType.ZMK, req.zmk(), HsmErrors.SOURCE_KEY_PARITY);
        byte[] key = ctx.randomKey(req.lmkScheme().keyLength());
        try {
            String block = variantBlock(zmk, req.attributes(), req.tr31Version(), key);
            return new Tr31GenerateRequest.Reply(ctx.underLmk(req.keyType(), key), KeyBlockKey.tr31(block),
                    kcv('T', key));
        } finally {
            wipe(zmk, key);
        }
    }

    /** The TR-31 block of a variant key: version as requested, else B (C under a single-DES ZMK). */
    private String variantBlock(byte[] zmk, Tr31Attributes attributes, Character requested, byte[] key) {
        char version = requested != null ? requested : zmk.length == 8 ? 'C' : 'B';
        if (version == 'D' || (version == 'B' && zmk.length == 8)) {
            throw error(HsmErrors.KEY_LENGTH, "a " + zmk.length + "-byte TDES ZMK cannot make TR-31 version " + version);
        }
        return Tr31.wrap(zmk, attributes.header(version, key.length == 8 ? 'D' : 'T'), key, ctx.random);
    }

    /**
     * A6 … R…: a TR-31 block under a variant ZMK into a key under the variant LMK; the block's
     * usage, algorithm, mode of use and key length must fit the key type and LMK scheme.
     */
    private HsmReply importVariant(FieldReader r) {
        Tr31ImportRequest req = Tr31ImportRequest.read(r);
        requireType(req.keyType(), KeyPolicy.UNDER_ZMK, HsmErrors.INVALID_KEY_TYPE);
        byte[] zmk = ctx.clear(KeyType.ZMK, req.zmk(), HsmErrors.SOURCE_KEY_PARITY);
        byte[] key = null;
        try {
            Tr31.Unwrapped u;
            try {
                u = Tr31.unwrap(zmk, req.key().block());
            } catch (IntegrityException e) {
                throw error(AUTHENTICATION_FAILURE, "TR-31 block does not verify under the ZMK");
            } catch (KeyBlockException e) {
                throw error(HsmErrors.INVALID_INPUT, "TR-31 block: " + e.getMessage());
            }
            key = u.key();
            KeyBlockHeader h = u.header();
            checkUsage(req.keyType(), h.keyUsage(), h.modeOfUse());
            if (h.algorithm() != 'T' && h.algorithm() != 'D') {
                throw error(INVALID_ALGORITHM, "a variant LMK holds DES/TDES keys, not algorithm " + h.algorithm());
            }
            if (key.length != req.lmkScheme().keyLength()) {
                throw error(HsmErrors.KEY_LENGTH, "a " + key.length + "-byte key for scheme " + req.lmkScheme());
            }
            if (!Parity.isOdd(key)) {
                throw error(HsmErrors.VERIFICATION_FAILED, "imported key has bad parity");
            }
            return new Tr31ImportRequest.Reply(ctx.underLmk(req.keyType(), key), kcv('T', key));
        } finally {
            wipe(zmk, key);
        }
    }

    private static void checkUsage(KeyType type, String usage, char mode) {
        if (!Tr31Usages.of(type).contains(usage)) {
            throw error(INVALID_KEY_USAGE, "TR-31 key usage " + usage + " does not fit key type " + type.code());
        }
        if (!Tr31Usages.modeFits(usage, mode)) {
            throw error(INVALID_MODE_OF_USE, "mode of use " + mode + " does not fit key usage " + usage);
        }
    }

    /** The TR-31 block of {@code key} (attributes of {@code header}) under the ZMK. */
    private String exportBlock(Kek zmk, KeyBlockHeader header, byte[] key, Character modifiedExportability) {
        char e = header.exportability();
        if (e != 'E' && e != 'S') {
            throw error(INVALID_EXPORTABILITY, "key is not exportable (exportability " + e + ")");
        }
        KeyBlockHeader out = header.withVersionId(zmk.version).withReserved("00");
        if (modifiedExportability != null) {
            out = KeyBlockHeader.of(zmk.version, out.keyUsage(), out.algorithm(), out.modeOfUse(), out.keyVersion(),
                    modifiedExportability, "00", out.optionalBlocks());
        }
        return Tr31.wrap(zmk.key, out, key, ctx.random);
    }

    /** A clear ZMK and the TR-31 version it wraps: B for TDES, D for AES. */
    private record Kek(byte[] key, char version) {
    }

    /**
     * The clear ZMK out of an {@code S} key, checked for usage (K0/K1), mode of use ({@code B} or
     * {@code direction}) and an algorithm TR-31 can use as a KBPK.
     */
    private Kek kek(KeyBlockKey zmk, char direction, Character requestedVersion) {
        Tr31.Unwrapped u = open(zmk);
        KeyBlockHeader h = u.header();
        byte[] k = u.key();
        if (!KEK_USAGES.contains(h.keyUsage())) {
            wipe(k);
            throw error(INVALID_KEY_USAGE, "key usage " + h.keyUsage() + " is not a key-encrypting key");
        }
        if (h.modeOfUse() != 'B' && h.modeOfUse() != 'N' && h.modeOfUse() != direction) {
            wipe(k);
            throw error(INVALID_MODE_OF_USE, "ZMK mode of use " + h.modeOfUse() + " does not permit this");
        }
        boolean aes = h.algorithm() == 'A';
        boolean tdes = (h.algorithm() == 'T' || h.algorithm() == 'D') && (k.length == 8 || k.length == 16 || k.length == 24);
        char version = requestedVersion != null ? requestedVersion : aes ? 'D' : k.length == 8 ? 'C' : 'B';
        boolean fits = switch (version) {
            case 'A', 'C' -> tdes;
            case 'B' -> tdes && k.length != 8;
            default -> aes;
        };
        if (!fits) {
            wipe(k);
            throw error(HsmErrors.KEY_LENGTH, "a " + h.algorithm() + "/" + k.length + "-byte ZMK cannot make TR-31 version "
                    + version);
        }
        return new Kek(k, version);
    }

    /** Unwraps a key under the key-block LMK, mapping failures to error codes. */
    private Tr31.Unwrapped open(KeyBlockKey key) {
        try {
            return lmk.unwrap(key.block());
        } catch (IntegrityException e) {
            throw error(AUTHENTICATION_FAILURE, "key block does not verify under the key-block LMK");
        } catch (KeyBlockException e) {
            throw error(HsmErrors.INVALID_INPUT, "key block: " + e.getMessage());
        }
    }

    private void checkLmkId(String id) {
        if (!id.equals(lmk.id())) {
            throw error(INCOMPATIBLE_LMK_ID, "LMK identifier " + id + " is not loaded (key-block LMK " + lmk.id() + ")");
        }
    }

    /** A random key: odd-parity DES/TDES (distinct halves), or AES. */
    private byte[] newKey(char algorithm, int length) {
        return algorithm == 'T' || algorithm == 'D' ? ctx.randomKey(length) : ctx.random.next(length);
    }

    /** The 6-hex check value: TDES E(K, 0); AES the CMAC method (X9.24-1). */
    static String kcv(char algorithm, byte[] key) {
        return algorithm == 'A' ? Hex.encode(Kcv.ofAes(key, 3)) : Kcv.hex6(key);
    }
}
