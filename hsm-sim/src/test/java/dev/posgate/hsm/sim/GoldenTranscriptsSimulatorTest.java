package dev.posgate.hsm.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.Hex;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.Tdes;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.command.DataCipherRequest;
import dev.posgate.hsm.command.DiagnosticsRequest;
import dev.posgate.hsm.command.ExportKeyRequest;
import dev.posgate.hsm.command.FieldException;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.GenerateKeyRequest;
import dev.posgate.hsm.command.GenerateMacRequest;
import dev.posgate.hsm.command.GenerateRsaKeyPairRequest;
import dev.posgate.hsm.command.ImportKeyRequest;
import dev.posgate.hsm.command.KeyCheckValueRequest;
import dev.posgate.hsm.command.Replies;
import dev.posgate.hsm.command.TranslatePinRequest;
import dev.posgate.hsm.command.VerifyMacRequest;
import dev.posgate.testing.PayShieldTranscripts;
import dev.posgate.testing.PayShieldTranscripts.Transcript;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The simulator against the golden payShield transcripts (test-support's
 * payshield/transcripts.txt, written from public layouts), independently of the client's encoder:
 * it parses each public request into the public field values and accepts the layout (whatever a
 * key from someone else's LMK then does to the answer), or refuses it exactly where a deviation
 * owned by issue 16 says so. On a fixed LMK, where the answer is deterministic, it answers NC in
 * the public shape and published vectors (X9.19 MAC, ISO-0 PIN block) in the public layout.
 */
class GoldenTranscriptsSimulatorTest {
    /** A fixed LMK: the same answers on every run. */
    private static final Lmk LMK = fixedLmk();
    private final HsmCommandProcessor processor = new HsmCommandProcessor(LMK, false, Set.of());

    static List<Transcript> transcripts() {
        return PayShieldTranscripts.all();
    }

    private static Lmk fixedLmk() {
        byte[][] pairs = new byte[Lmk.PAIRS][16];
        for (int i = 0; i < Lmk.PAIRS; i++) {
            for (int j = 0; j < 16; j++) pairs[i][j] = (byte) (i * 16 + j * 7 + 1);
            pairs[i] = Parity.adjustOdd(pairs[i]);
        }
        return Lmk.of(pairs);
    }

    private String process(byte[] payload) {
        return new String(processor.process(payload), StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transcripts")
    void theSimulatorParsesThePublicRequest(Transcript t) {
        byte[] payload = t.requestPayload();
        if ("refuses".equals(t.values().get("parser"))) {
            assertNotNull(t.deviation(), "a refused public layout is a recorded deviation");
            assertThrows(FieldException.class, () -> parse(t.command(), payload));
            return;
        }
        Object parsed = parse(t.command(), payload);
        switch (t.command()) {
            case "NC" -> assertEquals(DiagnosticsRequest.INSTANCE, parsed);
            case "A0" -> {
                GenerateKeyRequest a0 = (GenerateKeyRequest) parsed;
                assertEquals(t.field("mode"), a0.exports() ? "1" : "0");
                assertEquals(t.field("keyType"), a0.keyType().code());
                assertEquals(t.field("keySchemeLmk"), String.valueOf(a0.lmkScheme().tag()));
                if (a0.exports()) {
                    assertEquals(t.field("keyZmkTmkFlag"), String.valueOf(a0.wrapping().flag()));
                    assertEquals(t.field("keyZmkTmk"), a0.wrappingKey().toWire());
                    assertEquals(t.field("keySchemeZmkTmk"), String.valueOf(a0.exportScheme().tag()));
                }
            }
            case "A6" -> {
                ImportKeyRequest a6 = (ImportKeyRequest) parsed;
                assertEquals(t.field("keyType"), a6.keyType().code());
                assertEquals(t.field("zmk"), a6.zmk().toWire());
                assertEquals(t.field("key"), a6.key().toWire());
                assertEquals(t.field("keyScheme"), String.valueOf(a6.lmkScheme().tag()));
            }
            case "A8" -> {
                ExportKeyRequest a8 = (ExportKeyRequest) parsed;
                assertEquals(t.field("keyType"), a8.keyType().code());
                assertEquals(t.field("zmk"), a8.kek().toWire());
                assertEquals(t.field("key"), a8.key().toWire());
                assertEquals(t.field("keyScheme"), String.valueOf(a8.exportScheme().tag()));
            }
            case "BU" -> {
                KeyCheckValueRequest bu = (KeyCheckValueRequest) parsed;
                assertEquals(t.field("keyType"), bu.keyType().code());
                assertEquals(t.field("key"), bu.key().toWire());
                assertEquals(t.field("keyLengthFlag"), bu.key().length() == 16 ? "1" : bu.key().length() == 8 ? "0" : "2");
                assertEquals(t.hasField("kcvType") ? t.field("kcvType") : null,
                        bu.kcvType() == null ? null : String.valueOf(bu.kcvType().code()));
            }
            case "CA", "CC" -> {
                TranslatePinRequest p = (TranslatePinRequest) parsed;
                assertEquals(t.field(t.command().equals("CA") ? "sourceTpk" : "sourceZpk"), p.sourceKey().toWire());
                assertEquals(t.field(t.command().equals("CA") ? "destinationKey" : "destinationZpk"), p.destinationKey().toWire());
                assertEquals(Integer.parseInt(t.field("maximumPinLength")), p.maxPinLength());
                assertEquals(t.field("sourcePinBlock"), Hex.encode(p.pinBlock()));
                assertEquals(t.field("sourcePinBlockFormat"), p.sourceFormat().code());
                assertEquals(t.field("destinationPinBlockFormat"), p.destinationFormat().code());
                assertEquals(t.field("pan"), p.account());
            }
            case "M6" -> assertMac(t, (GenerateMacRequest) parsed);
            case "M8" -> {
                VerifyMacRequest<?> m8 = (VerifyMacRequest<?>) parsed;
                assertMac(t, (GenerateMacRequest) m8.data());
                assertEquals(t.field("mac"), Hex.encode(m8.mac()));
            }
            case "M0", "M2" -> {
                DataCipherRequest m = (DataCipherRequest) parsed;
                assertEquals(t.command().equals("M0"), m.encrypt());
                assertEquals(t.field("modeFlag"), m.mode().code());
                assertEquals(t.field("inputFormatFlag"), m.hexInput() ? "1" : "0");
                assertEquals(t.field("outputFormatFlag"), m.hexOutput() ? "1" : "0");
                assertEquals(t.field("keyType"), m.keyType().code());
                assertEquals(t.field("key"), m.key().toWire());
                assertEquals(null, m.iv(), "ECB: no IV");
                assertEquals(t.field("messageData"), m.hexInput() ? Hex.encode(m.data())
                        : new String(m.data(), StandardCharsets.ISO_8859_1));
            }
            case "EI" -> {
                GenerateRsaKeyPairRequest ei = (GenerateRsaKeyPairRequest) parsed;
                assertEquals(t.field("keyTypeIndicator"), String.valueOf(ei.usage().code()));
                assertEquals(Integer.parseInt(t.field("modulusLength")), ei.bits());
                assertEquals("01", t.field("publicKeyEncoding"));
            }
            default -> throw new AssertionError("no parser check for " + t.command());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transcripts")
    void theSimulatorAnswersThePublicLayout(Transcript t) {
        String reply = process(t.requestPayload());
        String code = Replies.replyCode(t.command());
        assertEquals(code, reply.substring(0, 2), reply);
        String error = reply.substring(2, 4);
        if ("refuses".equals(t.values().get("parser"))) {
            assertEquals("15", error, "the deviation: the public layout is refused as invalid input");
            return;
        }
        // the keys come from someone else's LMK: a parity or verification error is the keys' doing,
        // an invalid-input error (15) would be the layout's
        assertNotEquals("15", error, "the public layout is accepted: " + reply);
        // EJ's lengths are the key's and the LMK's: compared field by field in eiAnswersThePublicLayout...
        if (error.equals("00") && t.hasReply() && t.ours() == null && !t.command().equals("EI")) {
            String publicReply = new String(t.reply(), StandardCharsets.ISO_8859_1).substring(PayShieldTranscripts.HEADER_LENGTH);
            assertEquals(publicReply.length(), reply.length(), "the same fields, the same lengths: " + publicReply + " / " + reply);
        }
    }

    /**
     * Issue 16: the software HSM in the payshield profile takes every public request (no 15 for
     * the layout, no 68 or 04 for the command or key type: they are all standard) and answers the
     * public layout's length when it succeeds.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("transcripts")
    void inThePayShieldProfileTheSimulatorAcceptsThePublicRequest(Transcript t) {
        HsmCommandProcessor payShield = new HsmCommandProcessor(LMK, false, Set.of(), Authorisation.NONE,
                dev.posgate.hsm.HsmProfile.PAYSHIELD);
        String reply = new String(payShield.process(t.requestPayload()), StandardCharsets.ISO_8859_1);
        assertEquals(Replies.replyCode(t.command()), reply.substring(0, 2), reply);
        String error = reply.substring(2, 4);
        for (String refused : new String[] {"15", "68", "04"}) {
            assertNotEquals(refused, error, "the public layout is a standard command: " + reply);
        }
        if (error.equals("00") && t.hasReply() && !t.command().equals("EI")) {
            String publicReply = new String(t.reply(), StandardCharsets.ISO_8859_1).substring(PayShieldTranscripts.HEADER_LENGTH);
            assertEquals(publicReply.length(), reply.length(), "the same fields, the same lengths: " + publicReply + " / " + reply);
        }
    }

    /** Every prefix of every public request gets a reply in the payshield profile: its refusals never throw. */
    @Test
    void inThePayShieldProfileEveryTruncatedRequestGetsAReply() {
        HsmCommandProcessor payShield = new HsmCommandProcessor(LMK, false, Set.of(), Authorisation.NONE,
                dev.posgate.hsm.HsmProfile.PAYSHIELD);
        for (Transcript t : PayShieldTranscripts.all()) {
            byte[] payload = t.requestPayload();
            for (int n = 0; n <= payload.length; n++) {
                String reply = new String(payShield.process(java.util.Arrays.copyOf(payload, n)), StandardCharsets.ISO_8859_1);
                assertTrue(reply.matches("(?s)[ -~]{2}[0-9A-F]{2}.*"), t + " cut at " + n + ": " + reply);
            }
        }
    }

    /**
     * EI in the payshield profile answers [ut]'s EJ layout ({@code messages.json} generateRsaKeyPair:
     * publicKey:269, privateKeyLength:4, rest): the public key a PKCS#1 {@code RSAPublicKey} with
     * unsigned integers (encoding 01), exactly 269 bytes for 2048 bits as in [ut]'s decode case 0
     * ({@code 3082010902820100...0203010001}), then a 4-digit length and that many bytes. The JDK
     * reads the key (BouncyCastle-free check: its own ASN.1 parser, after the client's wrapping).
     */
    @Test
    void eiAnswersThePublicLayoutInThePayShieldProfile() throws Exception {
        Transcript ei = PayShieldTranscripts.of("EI").get(0);
        HsmCommandProcessor payShield = new HsmCommandProcessor(LMK, false, Set.of(), Authorisation.NONE,
                dev.posgate.hsm.HsmProfile.PAYSHIELD);
        byte[] reply = payShield.process(ei.requestPayload());
        byte[] publicReply = ei.reply();
        int at = PayShieldTranscripts.HEADER_LENGTH;
        assertEquals("EJ00", new String(reply, 0, 4, StandardCharsets.ISO_8859_1));
        // the same DER header and exponent as the public reply: SEQUENCE(265) { INTEGER(256) n, INTEGER 65537 }
        assertEquals(Hex.encode(java.util.Arrays.copyOfRange(publicReply, at + 4, at + 4 + 8)),
                Hex.encode(java.util.Arrays.copyOfRange(reply, 4, 4 + 8)));
        assertEquals(Hex.encode(java.util.Arrays.copyOfRange(publicReply, at + 4 + 264, at + 4 + 269)),
                Hex.encode(java.util.Arrays.copyOfRange(reply, 4 + 264, 4 + 269)));
        String length = new String(reply, 4 + 269, 4, StandardCharsets.ISO_8859_1);
        assertTrue(length.matches("[0-9]{4}"), length);
        assertEquals(4 + 269 + 4 + Integer.parseInt(length), reply.length, "the private key is the rest of the reply");
        java.math.BigInteger n = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(reply, 4 + 8, 4 + 264));
        java.security.interfaces.RSAPublicKey viaClient = (java.security.interfaces.RSAPublicKey) java.security.KeyFactory
                .getInstance("RSA").generatePublic(new java.security.spec.X509EncodedKeySpec(
                        dev.posgate.hsm.command.RsaPublicKeys.asSubjectPublicKeyInfo(java.util.Arrays.copyOfRange(reply, 4, 4 + 269))));
        assertEquals(n, viaClient.getModulus());
        assertEquals(2048, n.bitLength());
    }

    @Test
    void ncAnswersTheLmkCheckValueAndFirmwareInThePublicShape() {
        Transcript nc = PayShieldTranscripts.of("NC").get(0);
        String publicReply = new String(nc.reply(), StandardCharsets.ISO_8859_1).substring(PayShieldTranscripts.HEADER_LENGTH);
        String reply = process(nc.requestPayload());
        assertEquals("ND00" + LMK.checkValue() + HsmSimConfig.FIRMWARE, reply);
        assertEquals(publicReply.length(), reply.length(), "16-hex LMK check value and a 9-character firmware number");
    }

    /** hsm-reference "Published vectors": X9.19, key 0123456789ABCDEFFEDCBA9876543210, "Now is the time for all ". */
    @Test
    void m6AnswersThePublishedX919MacInThePublicLayout() {
        LmkKey tak = LMK.encrypt(KeyType.TAK, Hex.decode("0123456789ABCDEFFEDCBA9876543210"));
        String data = "Now is the time for all ";
        // the public M6 layout: mode 0, binary input, MAC size 1 (16 hex), ISO 9797-1 alg 3, padding 1, TAK
        String request = "M6" + "0" + "0" + "1" + "3" + "1" + "003" + tak.toWire() + String.format("%04X", data.length()) + data;
        assertEquals("M700A1C72E74EA3FA9B6", process(request.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** hsm-reference "Published vectors": ISO-0 PIN block of PIN 1234 and PAN 43219876543210987 is 0412AC89ABCDEF67. */
    @Test
    void caTranslatesThePublishedIso0BlockInThePublicLayout() {
        byte[] tpk = Hex.decode("0123456789ABCDEFFEDCBA9876543210");
        byte[] zpk = Hex.decode("FEDCBA98765432100123456789ABCDEF");
        byte[] clearBlock = Hex.decode("0412AC89ABCDEF67");
        String request = "CA" + LMK.encrypt(KeyType.TPK, tpk).toWire() + LMK.encrypt(KeyType.ZPK, zpk).toWire() + "12"
                + Hex.encode(Tdes.encryptEcb(tpk, clearBlock)) + "01" + "01" + "987654321098";
        // CB: error, PIN length (04: the published block's PIN is 1234), block under the ZPK, format
        assertEquals("CB0004" + Hex.encode(Tdes.encryptEcb(zpk, clearBlock)) + "01",
                process(request.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static void assertMac(Transcript t, GenerateMacRequest m) {
        assertEquals(t.field("inputFormatFlag"), m.hexInput() ? "1" : "0");
        assertEquals(t.field("macSize"), m.params().macLength() == 4 ? "0" : "1");
        assertEquals(t.field("macAlgorithm"), String.valueOf(m.params().algorithm().code()));
        assertEquals(t.field("keyType"), m.keyType().code());
        assertEquals(t.field("key"), m.key().toWire());
        byte[] expected = m.hexInput() ? Hex.decode(t.field("macData")) : t.field("macData").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(Hex.encode(expected), Hex.encode(m.message()));
        assertTrue(t.field("paddingMethod").equals("1"), "the transcripts use padding method 1");
    }

    /** The simulator's parser for a command: the read methods its handlers use. */
    private static Object parse(String command, byte[] payload) {
        FieldReader r = new FieldReader(payload, 2);
        return switch (command) {
            case "NC" -> DiagnosticsRequest.read(r);
            case "A0" -> GenerateKeyRequest.read(r);
            case "A6" -> ImportKeyRequest.read(r);
            case "A8" -> ExportKeyRequest.read(r);
            case "BU" -> KeyCheckValueRequest.read(r);
            case "CA" -> TranslatePinRequest.read(r, true);
            case "CC" -> TranslatePinRequest.read(r, false);
            case "M6" -> GenerateMacRequest.read(r);
            case "M8" -> VerifyMacRequest.read(r);
            case "M0" -> DataCipherRequest.read(r, true);
            case "M2" -> DataCipherRequest.read(r, false);
            case "EI" -> GenerateRsaKeyPairRequest.read(r);
            default -> throw new AssertionError("no parser for " + command);
        };
    }
}
