package dev.posgate.hsm.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.Hex;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.HsmProfile;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.MacAlgorithm;
import dev.posgate.hsm.MacParams;
import dev.posgate.hsm.PinBlockFormat;
import dev.posgate.hsm.WrappedKey;
import dev.posgate.hsm.Wrapping;
import dev.posgate.testing.PayShieldTranscripts;
import dev.posgate.testing.PayShieldTranscripts.Transcript;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client's encoder against the golden payShield transcripts (test-support's
 * payshield/transcripts.txt, written from public layouts): each request, built from the public
 * field values, encodes to exactly the public bytes (or, where the transcript records a deviation
 * owned by issue 16, to exactly the recorded bytes of ours), and each public reply parses into
 * the public values. The simulator's side is hsm-sim's GoldenTranscriptsSimulatorTest.
 */
class GoldenTranscriptsTest {
    static List<Transcript> transcripts() {
        return PayShieldTranscripts.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transcripts")
    void theEncoderWritesThePublicBytes(Transcript t) {
        byte[] request = t.request();
        byte[] header = Arrays.copyOf(request, PayShieldTranscripts.HEADER_LENGTH);
        byte[] encoded = concat(header, request(t).encode());
        byte[] expected = t.ours() == null ? request : t.ours();
        assertEquals(text(expected), text(encoded));
        if (t.ours() != null) {
            assertNotNull(t.deviation(), "a difference from the public layout is recorded as a deviation");
            assertFalse(Arrays.equals(request, t.ours()), "a recorded deviation really differs");
            assertEquals(text(request).substring(0, 6), text(encoded).substring(0, 6), "header and command code agree");
        } else {
            assertNull(t.deviation(), "no deviation without the bytes of ours");
        }
    }

    /**
     * Issue 16: in the {@code payshield} HSM profile every deviation is gone. The requests are built
     * as {@link dev.posgate.hsm.RemoteHsm} builds them in that profile (no check-value group on
     * A0/A6/A8, A8's flag group only for a TMK, BU in the public form the transcript uses with the
     * {@code ;00} group) and encode to exactly the public bytes.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("transcripts")
    void inThePayShieldProfileTheEncoderWritesThePublicBytes(Transcript t) {
        byte[] request = t.request();
        byte[] header = Arrays.copyOf(request, PayShieldTranscripts.HEADER_LENGTH);
        assertEquals(text(request), text(concat(header, payShieldRequest(t).encode())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transcripts")
    void theClientReadsThePublicReply(Transcript t) {
        if (!t.hasReply()) {
            assertNotNull(t.deviation(), "only a recorded deviation may come without a public reply");
            return;
        }
        byte[] reply = t.reply();
        int at = PayShieldTranscripts.HEADER_LENGTH;
        assertEquals(Replies.replyCode(t.command()), text(reply).substring(at, at + 2), "reply code");
        String error = text(reply).substring(at + 2, at + 4);
        Object parsed = request(t).readReply(new FieldReader(reply, at + 4));
        switch (t.command()) {
            case "NC" -> {
                DiagnosticsReply d = (DiagnosticsReply) parsed;
                assertEquals(t.replyField("lmkCheckValue"), d.lmkCheckValue());
                assertEquals(t.replyField("firmware"), d.firmware());
            }
            case "A0" -> {
                GenerateKeyReply g = (GenerateKeyReply) parsed;
                assertEquals(t.replyField("key"), g.key().toWire());
                assertEquals(t.hasReplyField("keyZmk") ? t.replyField("keyZmk") : null,
                        g.underWrapping() == null ? null : g.underWrapping().toWire());
                assertEquals(t.replyField("kcv"), g.kcv().hex());
            }
            case "A6" -> {
                KeyUnderLmkReply k = (KeyUnderLmkReply) parsed;
                assertEquals(t.replyField("key"), k.key().toWire());
                assertEquals(t.replyField("kcv"), k.kcv().hex());
            }
            case "A8" -> {
                ExportKeyReply k = (ExportKeyReply) parsed;
                assertEquals(t.replyField("key"), k.key().toWire());
                assertEquals(t.replyField("kcv"), k.kcv().hex());
            }
            case "BU" -> assertEquals(t.replyField("kcv"), ((KcvReply) parsed).kcv().hex());
            case "CA", "CC" -> {
                TranslatePinReply p = (TranslatePinReply) parsed;
                assertEquals(Integer.parseInt(t.replyField("pinLength")), p.pinLength());
                assertEquals(t.replyField("pinBlock"), Hex.encode(p.pinBlock()));
                assertEquals(t.replyField("pinBlockFormat"), p.format().code());
            }
            case "M6" -> assertEquals(t.replyField("mac"), Hex.encode(((MacReply) parsed).mac()));
            case "M8" -> assertTrue(parsed instanceof EmptyReply);
            case "M0", "M2" -> assertEquals(t.replyField("messageData"), Hex.encode(((DataCipherReply) parsed).data()));
            case "EI" -> {
                RsaKeyPairReply ej = (RsaKeyPairReply) parsed;
                java.security.interfaces.RSAPublicKey pub = x509(ej.publicKeyDer());
                assertEquals(Integer.parseInt(t.replyField("publicKeyModulusBits")), pub.getModulus().bitLength());
                assertEquals(new java.math.BigInteger(t.replyField("publicKeyExponent")), pub.getPublicExponent());
                assertEquals(Integer.parseInt(t.replyField("privateKeyLength")), ej.privateKey().length());
                assertFalse(ej.privateKey().isKeyBlock());
            }
            default -> throw new AssertionError("no reply check for " + t.command());
        }
        assertEquals("00", error);
    }

    /** The request of a transcript, built from its public field values (never from its bytes). */
    static HsmRequest<?> request(Transcript t) {
        switch (t.command()) {
            case "NC":
                return DiagnosticsRequest.INSTANCE;
            case "A0": {
                KeyType type = KeyType.ofCode(t.field("keyType"));
                KeyScheme scheme = KeyScheme.ofTag(t.field("keySchemeLmk").charAt(0));
                KcvType kcv = t.hasField("kcvType") ? KcvType.ofCode(t.field("kcvType").charAt(0)) : null;
                if (t.field("mode").equals("0")) return GenerateKeyRequest.underLmk(type, scheme, kcv);
                return new GenerateKeyRequest(type, scheme, Wrapping.ofFlag(t.field("keyZmkTmkFlag").charAt(0)),
                        LmkKey.parse(t.field("keyZmkTmk")), KeyScheme.ofTag(t.field("keySchemeZmkTmk").charAt(0)), kcv);
            }
            case "A6":
                return new ImportKeyRequest(KeyType.ofCode(t.field("keyType")), LmkKey.parse(t.field("zmk")),
                        WrappedKey.parse(t.field("key")), KeyScheme.ofTag(t.field("keyScheme").charAt(0)), null);
            case "A8":
                return new ExportKeyRequest(KeyType.ofCode(t.field("keyType")), Wrapping.ZMK, LmkKey.parse(t.field("zmk")),
                        LmkKey.parse(t.field("key")), KeyScheme.ofTag(t.field("keyScheme").charAt(0)), null);
            case "BU":
                return new KeyCheckValueRequest(KeyType.ofCode(t.field("keyType")), LmkKey.parse(t.field("key")),
                        t.hasField("kcvType") ? KcvType.ofCode(t.field("kcvType").charAt(0)) : null);
            case "CA":
            case "CC":
                return new TranslatePinRequest(t.command().equals("CA"),
                        LmkKey.parse(t.field(t.command().equals("CA") ? "sourceTpk" : "sourceZpk")),
                        LmkKey.parse(t.field(t.command().equals("CA") ? "destinationKey" : "destinationZpk")),
                        Integer.parseInt(t.field("maximumPinLength")), Hex.decode(t.field("sourcePinBlock")),
                        PinBlockFormat.ofCode(t.field("sourcePinBlockFormat")),
                        PinBlockFormat.ofCode(t.field("destinationPinBlockFormat")), t.field("pan"));
            case "M6":
                return mac(t);
            case "M8":
                return new VerifyMacRequest<>(mac(t), Hex.decode(t.field("mac")));
            case "M0":
            case "M2": {
                boolean hexIn = t.field("inputFormatFlag").equals("1");
                byte[] data = hexIn ? Hex.decode(t.field("messageData")) : t.field("messageData").getBytes(StandardCharsets.ISO_8859_1);
                assertEquals(Integer.parseInt(t.field("messageDataLengthHex"), 16), hexIn ? 2 * data.length : data.length,
                        "the public length field counts the message as sent");
                return new DataCipherRequest(t.command().equals("M0"), dev.posgate.hsm.CipherMode.ofCode(t.field("modeFlag")),
                        KeyType.ofCode(t.field("keyType")), LmkKey.parse(t.field("key")), null, data, hexIn,
                        t.field("outputFormatFlag").equals("1"));
            }
            case "EI":
                assertEquals("01", t.field("publicKeyEncoding"), "DER, the encoding posgate asks for");
                return new GenerateRsaKeyPairRequest(dev.posgate.hsm.RsaKeyUsage.ofCode(t.field("keyTypeIndicator").charAt(0)),
                        Integer.parseInt(t.field("modulusLength")));
            default:
                throw new AssertionError("no request for " + t.command());
        }
    }

    /** The request of a transcript as the client's payshield profile writes it. */
    static HsmRequest<?> payShieldRequest(Transcript t) {
        HsmProfile profile = HsmProfile.PAYSHIELD;
        switch (t.command()) {
            case "A0": {
                GenerateKeyRequest a0 = (GenerateKeyRequest) request(t);
                return new GenerateKeyRequest(a0.keyType(), a0.lmkScheme(), a0.wrapping(), a0.wrappingKey(), a0.exportScheme(),
                        null);
            }
            case "A6": {
                ImportKeyRequest a6 = (ImportKeyRequest) request(t);
                return new ImportKeyRequest(a6.keyType(), a6.zmk(), a6.key(), a6.lmkScheme(), null);
            }
            case "A8": {
                ExportKeyRequest a8 = (ExportKeyRequest) request(t);
                return new ExportKeyRequest(a8.keyType(), a8.wrapping(), a8.kek(), a8.key(), a8.exportScheme(), null,
                        profile.standardLayouts());
            }
            case "BU":
                return new KeyCheckValueRequest(KeyType.ofCode(t.field("keyType")), LmkKey.parse(t.field("key")),
                        t.hasField("kcvType") ? KcvType.ofCode(t.field("kcvType").charAt(0)) : null,
                        t.field("keyTypeCode").equals("FF") ? KeyCheckValueRequest.Form.STANDARD_FF
                                : KeyCheckValueRequest.Form.STANDARD_TYPE_CODE);
            default:
                assertTrue(profile.serves(t.command()), t.command() + " is a payShield command");
                return request(t);
        }
    }

    /**
     * EJ from a payShield with a key-block LMK ([ut] generateRsaKeyPairDecode case 1): the private
     * key length is {@code FFFF} and the key block delimits itself; the client keeps it as the
     * private key and writes it back after {@code FFFF}, as payShield takes it ([ut]
     * generateRsaSignatureEncode case 1, {@code ;99FFFFS00688...}).
     */
    @org.junit.jupiter.api.Test
    void ejWithAKeyBlockLmkPrivateKeyIsReadAndWrittenBackAfterFFFF() {
        Transcript t = PayShieldTranscripts.of("EI").get(0);
        byte[] reply = t.bytesOf("reply.keyBlockLmk");
        int at = PayShieldTranscripts.HEADER_LENGTH;
        assertEquals("EJ00", text(reply).substring(at, at + 4));
        RsaKeyPairReply ej = (RsaKeyPairReply) request(t).readReply(new FieldReader(reply, at + 4));
        assertEquals(2048, x509(ej.publicKeyDer()).getModulus().bitLength());
        byte[] priv = ej.privateKey().bytes();
        assertEquals(Integer.parseInt(t.replyField("keyBlockLmk.privateKeyBytes")), priv.length);
        assertTrue(text(priv).startsWith(t.replyField("keyBlockLmk.privateKeyHeader")), text(priv).substring(0, 17));
        assertTrue(ej.privateKey().isKeyBlock());
        String lengthField = t.replyField("keyBlockLmk.privateKeyLength");
        byte[] written = new FieldWriter().privateKey(ej.privateKey()).toBytes();
        assertEquals(lengthField, text(written).substring(0, 4));
        assertArrayEquals(priv, Arrays.copyOfRange(written, 4, written.length));
        // and the simulator's reader (GI, EW-like fields) reads the same form back
        assertEquals(ej.privateKey(), new FieldReader(written, 0).privateKey("private key"));
    }

    /** The public key as Java reads an X.509 SubjectPublicKeyInfo (the JDK's parser, not ours). */
    private static java.security.interfaces.RSAPublicKey x509(byte[] spki) {
        try {
            return (java.security.interfaces.RSAPublicKey) java.security.KeyFactory.getInstance("RSA")
                    .generatePublic(new java.security.spec.X509EncodedKeySpec(spki));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError("not an RSA SubjectPublicKeyInfo", e);
        }
    }

    private static GenerateMacRequest mac(Transcript t) {
        assertEquals("0", t.field("modeFlag"), "only mode 0 (the only block) is used");
        boolean hex = t.field("inputFormatFlag").equals("1");
        MacParams params = new MacParams(MacAlgorithm.ofCode(t.field("macAlgorithm").charAt(0)),
                GenerateMacRequest.padding(t.field("paddingMethod").charAt(0)), t.field("macSize").equals("0") ? 4 : 8);
        byte[] message = hex ? Hex.decode(t.field("macData")) : t.field("macData").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(Integer.parseInt(t.field("macDataLengthHex"), 16), hex ? 2 * message.length : message.length,
                "the public length field counts the message as sent");
        return new GenerateMacRequest(params, KeyType.ofCode(t.field("keyType")), LmkKey.parse(t.field("key")), message, hex);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Bytes as text, control characters visible, so a failure shows where the layouts part. */
    static String text(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            int c = x & 0xFF;
            if (c < 0x20 || c > 0x7E) s.append(String.format("\\x%02X", c));
            else s.append((char) c);
        }
        return s.toString();
    }
}
