package dev.posgate.hsm;

import dev.posgate.crypto.PinBlocks;
import dev.posgate.hsm.command.AukRandomRequest;
import dev.posgate.hsm.command.DataCipherRequest;
import dev.posgate.hsm.command.DiagnosticsRequest;
import dev.posgate.hsm.command.ExportKeyRequest;
import dev.posgate.hsm.command.FieldException;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.FormKeyFromComponentsRequest;
import dev.posgate.hsm.command.GenerateKeyRequest;
import dev.posgate.hsm.command.GenerateMacRequest;
import dev.posgate.hsm.command.GenerateRsaKeyPairRequest;
import dev.posgate.hsm.command.HsmRequest;
import dev.posgate.hsm.command.ImportKeyRequest;
import dev.posgate.hsm.command.ImportKeyUnderRsaRequest;
import dev.posgate.hsm.command.KcvType;
import dev.posgate.hsm.command.KeyCheckValueRequest;
import dev.posgate.hsm.command.KeyLoaderExchangeRequest;
import dev.posgate.hsm.command.PsamIssueCardKeyRequest;
import dev.posgate.hsm.command.PsamWorkingKeyRequest;
import dev.posgate.hsm.command.Replies;
import dev.posgate.hsm.command.SealedBodyRequest;
import dev.posgate.hsm.command.Sm2GenerateKeyPairRequest;
import dev.posgate.hsm.command.Sm2ImportKeyRequest;
import dev.posgate.hsm.command.Sm2UnwrapTransmissionKeyRequest;
import dev.posgate.hsm.command.Sm2SignRequest;
import dev.posgate.hsm.command.Sm4ExportKeyRequest;
import dev.posgate.hsm.command.Sm4GenerateKeyRequest;
import dev.posgate.hsm.command.Sm4ImportKeyRequest;
import dev.posgate.hsm.command.Sm4MacRequest;
import dev.posgate.hsm.command.Sm4TranslatePinRequest;
import dev.posgate.hsm.command.TacRequest;
import dev.posgate.hsm.command.TmkUnderTekRequest;
import dev.posgate.hsm.command.TranslatePinRequest;
import dev.posgate.hsm.command.UnionPayMacRequest;
import dev.posgate.hsm.command.UnwrapTransmissionKeyRequest;
import dev.posgate.hsm.command.VerifyMacRequest;
import dev.posgate.hsm.transport.HsmTransport;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@link Hsm} over the payShield-style host command protocol: each call is encoded by the
 * {@code dev.posgate.hsm.command} codec and carried by an {@link HsmTransport} (the connection
 * pool in production, the in-process simulator in benchmarks).
 */
public final class RemoteHsm implements Hsm {
    private static final String ACCOUNT_ZERO = "000000000000";

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RemoteHsm.class);

    private final HsmTransport transport;
    private final HsmProfile profile;

    /** posgate's profile: its layouts and extensions (the software HSM). */
    public RemoteHsm(HsmTransport transport) {
        this(transport, HsmProfile.POSGATE);
    }

    /** An HSM of {@code profile} (docs/hsm-protocol.md, "HSM profiles"). */
    public RemoteHsm(HsmTransport transport, HsmProfile profile) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.profile = Objects.requireNonNull(profile, "profile");
    }

    public HsmProfile profile() {
        return profile;
    }

    public HsmTransport transport() {
        return transport;
    }

    /**
     * Sends {@code request}; completes with its parsed reply on {@code 00}, fails with
     * {@link HsmException} on any other error code.
     */
    public <R> Future<R> execute(HsmRequest<R> request) {
        return send(request).map(reply -> parse(request, reply, false));
    }

    /**
     * Encodes {@code request} (refused first if outside this HSM's profile) and sends it: the raw
     * reply, or a failed future for a refused or unencodable request.
     */
    private Future<byte[]> send(HsmRequest<?> request) {
        byte[] payload;
        try {
            refuseOutsideProfile(request);
            payload = request.encode();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return transport.execute(payload);
    }

    /** Like {@link #execute} for a verification: {@code true} on 00, {@code false} on 01. */
    private Future<Boolean> verify(HsmRequest<?> request) {
        return send(request).map(reply -> parse(request, reply, true) != null);
    }

    /**
     * In the {@code payshield} profile a command payShield does not have never leaves: it fails here
     * with {@code 68} (command disabled), what the HSM would answer at best.
     */
    private void refuseOutsideProfile(HsmRequest<?> request) {
        String cmd = request.commandCode();
        if (!profile.serves(cmd)) {
            throw new HsmException(cmd, HsmErrors.COMMAND_DISABLED, "HSM command " + cmd
                    + " is a posgate extension, not sent to an HSM of profile " + profile.configName());
        }
    }

    /** Returns the parsed reply, or null for error 01 when {@code verification}. */
    private static <R> R parse(HsmRequest<R> request, byte[] reply, boolean verification) {
        String cmd = request.commandCode();
        String error = Replies.errorCode(cmd, reply);
        if (error == null) {
            String head = reply == null ? "null" : new String(reply, 0, Math.min(4, reply.length), StandardCharsets.US_ASCII);
            throw new HsmProtocolException(cmd, "unexpected reply header '" + head.replaceAll("[^\\x20-\\x7E]", "?") + "'");
        }
        if (verification && error.equals(HsmErrors.VERIFICATION_FAILED)) {
            if (reply.length != 4) {
                throw new HsmProtocolException(cmd, "trailing data after error 01");
            }
            return null;
        }
        if (!error.equals(HsmErrors.OK)) {
            throw new HsmException(cmd, error);
        }
        try {
            return request.readReply(new FieldReader(reply, 4));
        } catch (FieldException | IllegalArgumentException e) {
            throw new HsmProtocolException(cmd, e.getMessage());
        }
    }

    private static <T> Future<T> fail(RuntimeException e) {
        return Future.failedFuture(e);
    }

    // ---- key management ----

    @Override
    public Future<KeyWithKcv> generateKey(KeyType type, KeyScheme scheme) {
        try {
            return execute(GenerateKeyRequest.underLmk(type, scheme, keyCommandKcv()))
                    .compose(r -> fullKcv(type, r.key(), r.kcv()).map(kcv -> new KeyWithKcv(r.key(), kcv)));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<GeneratedKey> generateKeyUnder(KeyType type, KeyScheme scheme, Wrapping wrapping, LmkKey wrappingKey) {
        try {
            GenerateKeyRequest req = new GenerateKeyRequest(type, scheme, wrapping, wrappingKey,
                    KeyScheme.kekSchemeFor(scheme.keyLength()), keyCommandKcv());
            return execute(req).compose(r -> fullKcv(type, r.key(), r.kcv())
                    .map(kcv -> new GeneratedKey(r.key(), r.underWrapping(), kcv)));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<KeyWithKcv> importKey(KeyType type, LmkKey zmk, WrappedKey keyUnderZmk) {
        try {
            ImportKeyRequest req = new ImportKeyRequest(type, zmk, keyUnderZmk,
                    KeyScheme.lmkSchemeFor(keyUnderZmk.length()), keyCommandKcv());
            if (!profile.standardLayouts()) {
                return execute(req).map(r -> new KeyWithKcv(r.key(), r.kcv()));
            }
            return executeWithWarning(req, HsmErrors.VERIFICATION_FAILED).compose(w -> {
                if (w.warning() != null) {
                    // payShield imports the key and flags its parity (A6 error 01, "advice only")
                    log.warn("A6: the HSM imported a key of type {} with warning {} ({}); its check value {} is the HSM's 6-hex one",
                            type.code(), w.warning(), "imported key parity", w.reply().kcv().hex());
                    return Future.succeededFuture(new KeyWithKcv(w.reply().key(), w.reply().kcv()));
                }
                return fullKcv(type, w.reply().key(), w.reply().kcv()).map(kcv -> new KeyWithKcv(w.reply().key(), kcv));
            });
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<ExportedKey> exportKey(KeyType type, Wrapping wrapping, LmkKey kek, LmkKey key) {
        try {
            ExportKeyRequest req = new ExportKeyRequest(type, wrapping, kek, key,
                    KeyScheme.kekSchemeFor(key.length()), keyCommandKcv(), profile.standardLayouts());
            return execute(req).compose(r -> fullKcv(type, key, r.kcv()).map(kcv -> new ExportedKey(r.key(), kcv)));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<Kcv> kcv(KeyType type, LmkKey key) {
        try {
            return execute(kcvRequest(type, key)).map(r -> r.kcv());
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    /**
     * The check-value type A0/A6/A8 ask for: 16 hex (posgate's trailing group), or none in the
     * {@code payshield} profile (the public layouts have no such group; the reply carries 6 hex).
     */
    private KcvType keyCommandKcv() {
        return profile.standardLayouts() ? null : KcvType.FULL_16H;
    }

    /** BU for the 16-hex check value: posgate's form, or the public key-type-code form with {@code ;000}. */
    private KeyCheckValueRequest kcvRequest(KeyType type, LmkKey key) {
        boolean typeCode = profile.standardLayouts() && key.algorithm() == KeyAlgorithm.TDES && type.code().charAt(0) == '0';
        return new KeyCheckValueRequest(type, key, KcvType.FULL_16H, !profile.standardLayouts()
                ? KeyCheckValueRequest.Form.POSGATE
                : typeCode ? KeyCheckValueRequest.Form.STANDARD_TYPE_CODE : KeyCheckValueRequest.Form.STANDARD_FF);
    }

    /**
     * The gateway needs 4 check-value bytes (UnionPay field 62, DF26); a payShield's A0/A6/A8 give
     * 3, so in that profile BU asks for the 16-hex value, which must agree with the 6-hex one.
     */
    private Future<Kcv> fullKcv(KeyType type, LmkKey key, Kcv given) {
        if (given.length() >= Kcv.STORED_BYTES) return Future.succeededFuture(given);
        return execute(kcvRequest(type, key)).map(r -> {
            if (!r.kcv().matches(given)) {
                throw new HsmProtocolException("BU", "check value " + r.kcv().hex() + " disagrees with " + given.hex());
            }
            return r.kcv();
        });
    }

    /** A reply and the warning code it came with (null for 00). */
    private record Warned<R>(R reply, String warning) {}

    /** Like {@link #execute}, but {@code warning} is an advice: the reply's fields are still read. */
    private <R> Future<Warned<R>> executeWithWarning(HsmRequest<R> request, String warning) {
        String cmd = request.commandCode();
        return send(request).map(reply -> {
            String error = Replies.errorCode(cmd, reply);
            if (warning.equals(error)) {
                try {
                    return new Warned<>(request.readReply(new FieldReader(reply, 4)), error);
                } catch (FieldException | IllegalArgumentException e) {
                    throw new HsmException(cmd, error); // a warning without the fields: the error it also is
                }
            }
            return new Warned<>(parse(request, reply, false), null);
        });
    }

    @Override
    public Future<KeyWithKcv> formKeyFromComponents(KeyType type, KeyScheme scheme, byte[]... components) {
        try {
            return execute(new FormKeyFromComponentsRequest(type, scheme, Arrays.asList(components)))
                    .map(r -> new KeyWithKcv(r.key(), r.kcv()));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    // ---- PIN ----

    @Override
    public Future<PinTranslation> translatePinTpkToZpk(LmkKey tpk, LmkKey zpk, byte[] pinBlock,
            PinBlockFormat from, PinBlockFormat to, String pan) {
        return translate(true, tpk, zpk, pinBlock, from, to, pan);
    }

    @Override
    public Future<PinTranslation> translatePinZpkToZpk(LmkKey sourceZpk, LmkKey destinationZpk, byte[] pinBlock,
            PinBlockFormat from, PinBlockFormat to, String pan) {
        return translate(false, sourceZpk, destinationZpk, pinBlock, from, to, pan);
    }

    private Future<PinTranslation> translate(boolean fromTpk, LmkKey src, LmkKey dst, byte[] pinBlock,
            PinBlockFormat from, PinBlockFormat to, String pan) {
        try {
            String account;
            if (pan == null) {
                if (from != PinBlockFormat.ISO_1 || to != PinBlockFormat.ISO_1) {
                    throw new IllegalArgumentException("a PAN is required for PIN block formats 0 and 3");
                }
                account = ACCOUNT_ZERO;
            } else {
                account = PinBlocks.pan12(pan);
            }
            TranslatePinRequest req = new TranslatePinRequest(fromTpk, src, dst, 12, pinBlock, from, to, account);
            return execute(req).map(r -> new PinTranslation(r.pinLength(), r.pinBlock(), r.format()));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    // ---- MAC ----

    @Override
    public Future<byte[]> generateMac(KeyType type, LmkKey key, MacParams params, byte[] data) {
        try {
            return execute(new GenerateMacRequest(params, type, key, data, false)).map(r -> r.mac());
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<Boolean> verifyMac(KeyType type, LmkKey key, MacParams params, byte[] data, byte[] mac) {
        try {
            if (mac == null || mac.length != params.macLength()) {
                return Future.succeededFuture(false);
            }
            return verify(new VerifyMacRequest<>(new GenerateMacRequest(params, type, key, data, false), mac));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<byte[]> generateUnionPayMac(KeyType type, LmkKey key, byte[] mab) {
        try {
            if (profile.standardLayouts()) {
                return execute(new GenerateMacRequest(UNIONPAY_AS_M6, type, key, UnionPayMacs.hexBlock(mab), false))
                        .map(r -> UnionPayMacs.field64(r.mac()));
            }
            return execute(new UnionPayMacRequest(type, key, mab, null)).map(r -> r.mac());
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<Boolean> verifyUnionPayMac(KeyType type, LmkKey key, byte[] mab, byte[] field64) {
        try {
            if (field64 == null || field64.length != 8) {
                return Future.succeededFuture(false);
            }
            if (profile.standardLayouts()) {
                byte[] mac = UnionPayMacs.macOfField64(field64);
                if (mac == null) return Future.succeededFuture(false);
                return verify(new VerifyMacRequest<>(
                        new GenerateMacRequest(UNIONPAY_AS_M6, type, key, UnionPayMacs.hexBlock(mab), false), mac));
            }
            return verify(new UnionPayMacRequest(type, key, mab, field64));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    /**
     * The UnionPay ECB MAC's cipher steps are ISO 9797-1 algorithm 1 (CBC, zero IV) over the
     * 16 ASCII hex characters of the XOR of the MAB's blocks, no padding; field 64 is the first
     * 4 bytes of that MAC in hex ({@link UnionPayMacs}).
     */
    private static final MacParams UNIONPAY_AS_M6 = new MacParams(MacAlgorithm.ISO9797_ALG1, dev.posgate.crypto.PaddingMethod.NONE,
            UnionPayMacs.MAC_BYTES);

    // ---- data ----

    @Override
    public Future<byte[]> encryptData(KeyType type, LmkKey key, CipherMode mode, byte[] iv, byte[] data) {
        return cipher(true, type, key, mode, iv, data);
    }

    @Override
    public Future<byte[]> decryptData(KeyType type, LmkKey key, CipherMode mode, byte[] iv, byte[] data) {
        return cipher(false, type, key, mode, iv, data);
    }

    private Future<byte[]> cipher(boolean encrypt, KeyType type, LmkKey key, CipherMode mode, byte[] iv, byte[] data) {
        try {
            return execute(new DataCipherRequest(encrypt, mode, type, key, iv, data, false, false)).map(r -> r.data());
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    // ---- RSA ----

    @Override
    public Future<RsaKeyPair> generateRsaKeyPair(RsaKeyUsage usage, int bits) {
        try {
            return execute(new GenerateRsaKeyPairRequest(usage, bits))
                    .map(r -> new RsaKeyPair(r.publicKeyDer(), r.privateKey()));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<KeyWithKcv> importKeyUnderRsa(KeyType type, KeyScheme scheme, LmkPrivateKey privateKey,
            byte[] encryptedKey) {
        try {
            return execute(new ImportKeyUnderRsaRequest(type, scheme, encryptedKey, privateKey))
                    .map(r -> new KeyWithKcv(r.key(), r.kcv()));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    // ---- K-flow ----

    @Override
    public Future<TransmissionKeys> unwrapTransmissionKey(LmkPrivateKey kmsPrivateKey, byte[] tkBlock) {
        try {
            return execute(new UnwrapTransmissionKeyRequest(kmsPrivateKey, tkBlock))
                    .map(r -> new TransmissionKeys(r.tek(), r.tekKcv(), r.auk(), r.aukKcv()));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<TransmissionKeys> unwrapSm2TransmissionKey(LmkSm2PrivateKey kmsPrivateKey, byte[] tkBlock) {
        try {
            return execute(new Sm2UnwrapTransmissionKeyRequest(kmsPrivateKey, tkBlock))
                    .map(r -> new TransmissionKeys(r.tek(), r.tekKcv(), r.auk(), r.aukKcv()));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<byte[]> kmsAukProof(LmkKey auk, byte[] random) {
        try {
            return execute(new AukRandomRequest(auk, random, null)).map(r -> r.mac());
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<Boolean> verifyTerminalAukProof(LmkKey auk, byte[] random, byte[] cryptogram) {
        try {
            if (cryptogram == null || random == null || cryptogram.length != AukRandomRequest.blockOf(auk)) {
                return Future.succeededFuture(false);
            }
            return verify(new AukRandomRequest(auk, random, cryptogram));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<ExportedKey> tmkUnderTek(LmkKey tek, LmkKey tmk) {
        if (profile == HsmProfile.PAYSHIELD) {
            // the TEK held as a ZMK (type 000): Ctmk_tk = TDES-ECB(TEK, TMK) is A8 of the TMK under that
            // ZMK, no flag, then BU for the check value (issue 16 item 2; docs/hsm-protocol.md 11.3)
            return exportKey(KeyType.TMK, Wrapping.ZMK, tek, tmk);
        }
        try {
            return execute(new TmkUnderTekRequest(tek, tmk)).map(r -> new ExportedKey(r.key(), r.kcv()));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    // ---- L-flow ----

    @Override
    public Future<KeyLoaderExchange> keyLoaderExchange(LmkPrivateKey loaderPrivateKey, LmkKey tmk, byte[] rsaBlock) {
        try {
            return execute(new KeyLoaderExchangeRequest(loaderPrivateKey, tmk, rsaBlock))
                    .map(r -> new KeyLoaderExchange(r.block(), r.tmkKcv()));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<KeyLoaderExchange> sm2KeyLoaderExchange(LmkSm2PrivateKey loaderPrivateKey, LmkKey tmk, byte[] sm2Block) {
        try {
            return execute(new dev.posgate.hsm.command.Sm2KeyLoaderExchangeRequest(loaderPrivateKey, tmk, sm2Block))
                    .map(r -> new KeyLoaderExchange(r.block(), r.tmkKcv()));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    // ---- PSAM ----

    @Override
    public Future<ExportedKey> psamIssueCardKey(LmkKey psamRootKey, String cardNumber, LmkKey issuingTransportKey) {
        try {
            return execute(new PsamIssueCardKeyRequest(psamRootKey, cardNumber, issuingTransportKey))
                    .map(r -> new ExportedKey(r.key(), r.kcv()));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<GeneratedKey> generateWorkingKeyUnderPsam(LmkKey psamRootKey, String cardNumber, KeyType type,
            KeyScheme scheme) {
        try {
            return execute(new PsamWorkingKeyRequest(psamRootKey, cardNumber, type, scheme))
                    .map(r -> new GeneratedKey(r.key(), r.underWrapping(), r.kcv()));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    // ---- TMS ----

    @Override
    public Future<byte[]> tac(LmkKey dwk, byte[] data) {
        try {
            return execute(new TacRequest(dwk, data, null)).map(r -> r.mac());
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<Boolean> verifyTac(LmkKey dwk, byte[] data, byte[] tac) {
        try {
            if (tac == null || tac.length != 4) {
                return Future.succeededFuture(false);
            }
            return verify(new TacRequest(dwk, data, tac));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<byte[]> sealBody(LmkKey dwk, byte[] paddedPlaintext) {
        try {
            return execute(new SealedBodyRequest(dwk, paddedPlaintext, false)).map(r -> r.data());
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<byte[]> openBody(LmkKey dwk, byte[] body) {
        try {
            return execute(new SealedBodyRequest(dwk, body, true)).map(r -> r.data());
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    // ---- national algorithms ----

    @Override
    public Future<KeyWithKcv> generateSm4Key(KeyType type) {
        try {
            return execute(Sm4GenerateKeyRequest.underLmk(type)).map(r -> new KeyWithKcv(r.key(), r.kcv()));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<GeneratedKey> generateSm4KeyUnder(KeyType type, Wrapping wrapping, LmkKey kek) {
        try {
            return execute(new Sm4GenerateKeyRequest(type, wrapping, kek))
                    .map(r -> new GeneratedKey(r.key(), r.underKek(), r.kcv()));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<KeyWithKcv> importSm4Key(KeyType type, LmkKey zmk, WrappedKey keyUnderZmk) {
        try {
            return execute(new Sm4ImportKeyRequest(type, zmk, keyUnderZmk)).map(r -> new KeyWithKcv(r.key(), r.kcv()));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<ExportedKey> exportSm4Key(KeyType type, Wrapping wrapping, LmkKey kek, LmkKey key) {
        try {
            return execute(new Sm4ExportKeyRequest(type, wrapping, kek, key)).map(r -> new ExportedKey(r.key(), r.kcv()));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<byte[]> generateSm4Mac(KeyType type, LmkKey key, Sm4MacAlgorithm algorithm, byte[] data) {
        try {
            return execute(new Sm4MacRequest(algorithm, type, key, data, null)).map(r -> r.mac());
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<Boolean> verifySm4Mac(KeyType type, LmkKey key, Sm4MacAlgorithm algorithm, byte[] data, byte[] mac) {
        try {
            boolean wellFormed = mac != null && (algorithm.isCbcMac()
                    ? mac.length >= Sm4MacRequest.MIN_MAC && mac.length <= algorithm.macLength()
                    : mac.length == algorithm.macLength());
            if (!wellFormed) {
                return Future.succeededFuture(false);
            }
            return verify(new Sm4MacRequest(algorithm, type, key, data, mac));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<PinTranslation> translateSm4Pin(KeyType sourceType, LmkKey source, LmkKey destinationZpk,
            byte[] pinBlock, String pan) {
        try {
            Sm4TranslatePinRequest req = new Sm4TranslatePinRequest(sourceType, source, destinationZpk, 12, pinBlock,
                    PinBlocks.pan12(pan));
            return execute(req).map(r -> new PinTranslation(r.pinLength(), r.pinBlock(), r.format()));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<Sm2KeyPair> generateSm2KeyPair(RsaKeyUsage usage) {
        try {
            return execute(new Sm2GenerateKeyPairRequest(usage)).map(r -> new Sm2KeyPair(r.publicKey(), r.privateKey()));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<KeyWithKcv> importSm4KeyUnderSm2(KeyType type, LmkSm2PrivateKey privateKey, byte[] ciphertext) {
        try {
            return execute(new Sm2ImportKeyRequest(privateKey, type, ciphertext)).map(r -> new KeyWithKcv(r.key(), r.kcv()));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<byte[]> sm2Sign(LmkSm2PrivateKey privateKey, byte[] userId, byte[] data) {
        try {
            return execute(new Sm2SignRequest(privateKey, userId, data)).map(r -> r.signature());
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @Override
    public Future<Diagnostics> diagnostics() {
        return execute(DiagnosticsRequest.INSTANCE).map(r -> new Diagnostics(r.lmkCheckValue(), r.firmware()));
    }
}
