package dev.posgate.hsm.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.Parity;
import dev.posgate.crypto.RandomSource;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.MacParams;
import dev.posgate.hsm.PinBlockFormat;
import dev.posgate.hsm.Wrapping;
import dev.posgate.hsm.command.ExportKeyRequest;
import dev.posgate.hsm.command.GenerateKeyRequest;
import dev.posgate.hsm.command.GenerateMacRequest;
import dev.posgate.hsm.command.Replies;
import dev.posgate.hsm.command.SealedBodyRequest;
import dev.posgate.hsm.command.TacRequest;
import dev.posgate.hsm.command.TranslatePinRequest;
import dev.posgate.hsm.command.UnionPayMacRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The processor alone (no TCP): no input makes an exception escape; truncations are refused. */
class HsmCommandProcessorTest {
    static final Lmk LMK = Lmk.generate(RandomSource.secure());
    // authorised for A6/A8/GI: the truncation test needs every command's valid form to succeed
    final HsmCommandProcessor processor = new HsmCommandProcessor(LMK, true, Set.of(),
            Authorisation.of(Authorisation.GATED, java.time.Duration.ofHours(1)));

    private static void assertErrorReply(String command, byte[] reply) {
        String s = new String(reply, StandardCharsets.ISO_8859_1);
        assertTrue(s.length() >= 4, s);
        assertEquals(Replies.replyCode(command), s.substring(0, 2));
        assertTrue(s.substring(2, 4).matches("[0-9A-Z]{2}"), s);
    }

    @Test
    void randomGarbageNeverThrows() {
        SecureRandom rnd = new SecureRandom();
        for (String code : processor.commands()) {
            if (HsmCommandProcessor.isSlow(code.getBytes(StandardCharsets.US_ASCII)) && code.equals("EI")) {
                continue; // a valid random EI would generate a key: covered elsewhere
            }
            for (int i = 0; i < 200; i++) {
                byte[] body = new byte[rnd.nextInt(120)];
                rnd.nextBytes(body);
                if (i % 2 == 0) {
                    for (int j = 0; j < body.length; j++) {
                        body[j] = (byte) "0123456789ABCDEFUXZT;".charAt(rnd.nextInt(21));
                    }
                }
                byte[] cmd = new byte[2 + body.length];
                cmd[0] = (byte) code.charAt(0);
                cmd[1] = (byte) code.charAt(1);
                System.arraycopy(body, 0, cmd, 2, body.length);
                assertErrorReply(code, processor.process(cmd));
            }
        }
    }

    @Test
    void everyTruncationOfValidRequestsIsRefused() {
        LmkKey tmk = LMK.encrypt(KeyType.TMK, Parity.adjustOdd(RandomSource.secure().next(16)));
        LmkKey tak = LMK.encrypt(KeyType.TAK, Parity.adjustOdd(RandomSource.secure().next(16)));
        LmkKey zpk = LMK.encrypt(KeyType.ZPK, Parity.adjustOdd(RandomSource.secure().next(16)));
        LmkKey dwk = LMK.encrypt(KeyType.DWK, Parity.adjustOdd(RandomSource.secure().next(16)));
        List<byte[]> valid = List.of(
                new GenerateKeyRequest(KeyType.TAK, KeyScheme.U, Wrapping.TMK, tmk, KeyScheme.X, null).encode(),
                new ExportKeyRequest(KeyType.TAK, Wrapping.TMK, tmk, tak, KeyScheme.X, null).encode(),
                new GenerateMacRequest(MacParams.X9_19, KeyType.TAK, tak, new byte[19], true).encode(),
                new UnionPayMacRequest(KeyType.TAK, tak, new byte[30], null).encode(),
                new TacRequest(dwk, new byte[10], null).encode(),
                new SealedBodyRequest(dwk, new byte[24], false).encode(),
                new TranslatePinRequest(true, tmk, zpk, 12, new byte[8], PinBlockFormat.ISO_0, PinBlockFormat.ISO_0,
                        "123456789012").encode());
        for (byte[] req : valid) {
            String code = new String(req, 0, 2, StandardCharsets.US_ASCII);
            byte[] full = processor.process(req);
            if (!code.equals("CA")) {
                assertEquals("00", new String(full, 2, 2, StandardCharsets.US_ASCII), code);
            }
            for (int n = 2; n < req.length; n++) {
                byte[] reply = processor.process(Arrays.copyOf(req, n));
                assertErrorReply(code, reply);
                assertNotEquals("00", new String(reply, 2, 2, StandardCharsets.US_ASCII), code + " truncated to " + n);
            }
        }
    }

    @Test
    void clearComponentsDisabledGives68() {
        HsmCommandProcessor prod = new HsmCommandProcessor(LMK, false, Set.of());
        assertEquals("ZX68", new String(prod.process("ZW000U2".getBytes(StandardCharsets.US_ASCII)),
                StandardCharsets.US_ASCII));
    }

    @Test
    void lmkKeysNeverPrintKeyMaterial() {
        byte[] clear = Parity.adjustOdd(RandomSource.secure().next(16));
        LmkKey k = LMK.encrypt(KeyType.ZMK, clear);
        String s = k.toString() + LMK.toString();
        assertTrue(!s.contains(dev.posgate.crypto.Hex.encode(k.cryptogram())) && !s.contains(dev.posgate.crypto.Hex.encode(clear)), s);
        assertTrue(s.contains(k.fingerprint()));
    }
}
