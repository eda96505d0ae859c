package dev.posgate.hsm.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.posgate.crypto.Hex;
import dev.posgate.crypto.PaddingMethod;
import dev.posgate.hsm.CipherMode;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.LmkPrivateKey;
import dev.posgate.hsm.MacAlgorithm;
import dev.posgate.hsm.MacParams;
import dev.posgate.hsm.PinBlockFormat;
import dev.posgate.hsm.Wrapping;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Requests written by the client codec read back identically by the simulator's parser. */
class CodecTest {
    static final LmkKey K1 = LmkKey.parse("U" + "11".repeat(16));
    static final LmkKey K2 = LmkKey.parse("T" + "22".repeat(24));
    static final LmkKey K3 = LmkKey.parse("33".repeat(8));

    private static FieldReader fields(HsmRequest<?> req) {
        byte[] b = req.encode();
        assertEquals(req.commandCode(), new String(b, 0, 2, StandardCharsets.US_ASCII));
        return new FieldReader(b, 2);
    }

    @Test
    void a0Layouts() {
        GenerateKeyRequest mode0 = GenerateKeyRequest.underLmk(KeyType.TAK, KeyScheme.U, null);
        assertEquals("A00003U", new String(mode0.encode(), StandardCharsets.US_ASCII));
        GenerateKeyRequest mode1 = new GenerateKeyRequest(KeyType.PIK, KeyScheme.U, Wrapping.TMK, K1, KeyScheme.X,
                KcvType.FULL_16H);
        assertEquals("A01002U;1" + K1.toWire() + "X;U0", new String(mode1.encode(), StandardCharsets.US_ASCII));
        assertEquals(mode1, GenerateKeyRequest.read(fields(mode1)));
        // payShield form without the ZMK/TMK flag delimiter: ZMK assumed
        GenerateKeyRequest noFlag = GenerateKeyRequest.read(new FieldReader(
                ("A01001U" + K1.toWire() + "X").getBytes(StandardCharsets.US_ASCII), 2));
        assertEquals(Wrapping.ZMK, noFlag.wrapping());
    }

    @Test
    void requestsRoundTrip() {
        ImportKeyRequest a6 = new ImportKeyRequest(KeyType.ZPK, K1, dev.posgate.hsm.WrappedKey.parse("X" + "44".repeat(16)),
                KeyScheme.U, null);
        assertEquals(a6, ImportKeyRequest.read(fields(a6)));
        ExportKeyRequest a8 = new ExportKeyRequest(KeyType.TMK, Wrapping.DWK, K1, K2, KeyScheme.Y, KcvType.SHORT_6H);
        assertEquals(a8, ExportKeyRequest.read(fields(a8)));
        KeyCheckValueRequest bu = new KeyCheckValueRequest(KeyType.DWK, K3, null);
        assertEquals(bu, KeyCheckValueRequest.read(fields(bu)));
        TranslatePinRequest ca = new TranslatePinRequest(true, K1, K1, 12, Hex.decode("0412AC89ABCDEF67"),
                PinBlockFormat.ISO_0, PinBlockFormat.ISO_3, "987654321098");
        TranslatePinRequest caBack = TranslatePinRequest.read(fields(ca), true);
        assertArrayEquals(ca.pinBlock(), caBack.pinBlock());
        assertEquals(PinBlockFormat.ISO_3, caBack.destinationFormat());
        for (String badAccount : new String[] {"98765432109", "9876543210987", "98765432109A", "98765432109٠"}) {
            assertThrows(IllegalArgumentException.class, () -> new TranslatePinRequest(true, K1, K1, 12,
                    Hex.decode("0412AC89ABCDEF67"), PinBlockFormat.ISO_0, PinBlockFormat.ISO_3, badAccount), badAccount);
        }
        GenerateMacRequest m6 = new GenerateMacRequest(new MacParams(MacAlgorithm.ISO9797_ALG1, PaddingMethod.METHOD_2, 4),
                KeyType.ZAK, K1, new byte[] {1, 2, 3}, true);
        GenerateMacRequest m6Back = GenerateMacRequest.read(fields(m6));
        assertArrayEquals(m6.message(), m6Back.message());
        assertEquals(m6.params(), m6Back.params());
        VerifyMacRequest<GenerateMacRequest> m8 = new VerifyMacRequest<>(m6, new byte[] {9, 9, 9, 9});
        assertArrayEquals(m8.mac(), VerifyMacRequest.read(fields(m8)).mac());
        DataCipherRequest m0 = new DataCipherRequest(true, CipherMode.CBC, KeyType.DWK, K1, new byte[8], new byte[16],
                false, true);
        DataCipherRequest m0Back = DataCipherRequest.read(fields(m0), true);
        assertEquals(CipherMode.CBC, m0Back.mode());
        assertEquals(true, m0Back.hexOutput());
        SealedBodyRequest z2 = new SealedBodyRequest(K1, new byte[24], true);
        SealedBodyRequest z2Back = SealedBodyRequest.read(fields(z2), true);
        assertEquals("Z2", z2Back.commandCode());
        assertArrayEquals(z2.data(), z2Back.data());
        assertEquals("Z0", new SealedBodyRequest(K1, new byte[8], false).commandCode());
        FormKeyFromComponentsRequest zw = new FormKeyFromComponentsRequest(KeyType.ZMK, KeyScheme.Z,
                List.of(new byte[8], new byte[8], new byte[8]));
        assertEquals(3, FormKeyFromComponentsRequest.read(fields(zw)).components().size());
        PsamWorkingKeyRequest zg = new PsamWorkingKeyRequest(K2, "0123456789", KeyType.MAK, KeyScheme.U);
        assertEquals(zg, PsamWorkingKeyRequest.read(fields(zg)));
        KeyLoaderExchangeRequest zq = new KeyLoaderExchangeRequest(LmkPrivateKey.of(new byte[300]), K1, new byte[256]);
        assertEquals(256, KeyLoaderExchangeRequest.read(fields(zq)).block().length);
    }

    @Test
    void replyCodesAndErrors() {
        assertEquals("A1", Replies.replyCode("A0"));
        assertEquals("M9", Replies.replyCode("M8"));
        assertEquals("ZZ", Replies.replyCode("ZY"));
        assertEquals("ZZ", Replies.replyCode("A9"));
        assertEquals("10", Replies.errorCode("CA", "CB10".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(null, Replies.errorCode("CA", "CD00".getBytes(StandardCharsets.US_ASCII)));
        FieldException e = assertThrows(FieldException.class,
                () -> GenerateKeyRequest.read(new FieldReader("A00002Q".getBytes(StandardCharsets.US_ASCII), 2)));
        assertEquals("26", e.errorCode());
    }
}
