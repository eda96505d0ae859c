package dev.posgate.hsm.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.posgate.crypto.Parity;
import dev.posgate.crypto.PinBlocks;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Sm2;
import dev.posgate.crypto.Sm4;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.LmkSm2PrivateKey;
import dev.posgate.hsm.RsaKeyUsage;
import dev.posgate.hsm.Sm4MacAlgorithm;
import dev.posgate.hsm.WrappedKey;
import dev.posgate.hsm.Wrapping;
import dev.posgate.hsm.command.Sm2GenerateKeyPairRequest;
import dev.posgate.hsm.command.Sm2ImportKeyRequest;
import dev.posgate.hsm.command.Sm2SignRequest;
import dev.posgate.hsm.command.Sm4ExportKeyRequest;
import dev.posgate.hsm.command.Sm4GenerateKeyRequest;
import dev.posgate.hsm.command.Sm4ImportKeyRequest;
import dev.posgate.hsm.command.Sm4MacRequest;
import dev.posgate.hsm.command.Sm4TranslatePinRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The SM commands at the processor: each valid request succeeds and every truncation of it is refused. */
class SmCommandsProcessorTest {
    static final Lmk LMK = Lmk.generate(RandomSource.secure());
    final HsmCommandProcessor processor = new HsmCommandProcessor(LMK, false, Set.of(),
            Authorisation.of(Authorisation.GATED, Duration.ofHours(1)));

    @Test
    void everyTruncationOfValidSmRequestsIsRefused() {
        byte[] tmkClear = RandomSource.secure().next(16);
        LmkKey sm4Tmk = LMK.encryptSm4(KeyType.TMK, tmkClear);
        LmkKey sm4Pik = LMK.encryptSm4(KeyType.PIK, tmkClear);
        LmkKey sm4Mak = LMK.encryptSm4(KeyType.MAK, RandomSource.secure().next(16));
        LmkKey tdesZmk = LMK.encrypt(KeyType.ZMK, Parity.adjustOdd(RandomSource.secure().next(16)));
        LmkKey tdesZpk = LMK.encrypt(KeyType.ZPK, Parity.adjustOdd(RandomSource.secure().next(16)));
        byte[] pinBlock = Sm4.encryptEcb(tmkClear, PinBlocks.sm4Format0ForAccount("1234", "123456789012"));
        Sm2.KeyPair sm2 = Sm2.generate(null);
        LmkSm2PrivateKey sm2Key = Sm2KeyBlob.wrap(LMK, RsaKeyUsage.BOTH, sm2.privateKey(), RandomSource.secure());
        List<byte[]> valid = List.of(
                Sm4GenerateKeyRequest.underLmk(KeyType.ZEK).encode(),
                new Sm4GenerateKeyRequest(KeyType.TAK, Wrapping.TMK, sm4Tmk).encode(),
                new Sm4ImportKeyRequest(KeyType.TAK, tdesZmk, WrappedKey.of(KeyScheme.P, new byte[16])).encode(),
                new Sm4ExportKeyRequest(KeyType.TAK, Wrapping.ZMK, tdesZmk, sm4Mak).encode(),
                new Sm4MacRequest(Sm4MacAlgorithm.UNIONPAY_POS, KeyType.TAK, sm4Mak, new byte[21], null).encode(),
                new Sm4MacRequest(Sm4MacAlgorithm.CBC_MAC_PADDING_1, KeyType.TAK, sm4Mak, new byte[21], null).encode(),
                new Sm4TranslatePinRequest(KeyType.PIK, sm4Pik, tdesZpk, 12, pinBlock, "123456789012").encode(),
                new Sm2GenerateKeyPairRequest(RsaKeyUsage.BOTH).encode(),
                new Sm2SignRequest(sm2Key, null, new byte[] {1, 2, 3}).encode(),
                new Sm2ImportKeyRequest(sm2Key, KeyType.TMK, Sm2.encrypt(sm2.publicKey(), new byte[16])).encode());
        for (byte[] req : valid) {
            String code = new String(req, 0, 2, StandardCharsets.US_ASCII);
            assertEquals("00", new String(processor.process(req), 2, 2, StandardCharsets.US_ASCII), code);
            for (int n = 2; n < req.length; n++) {
                byte[] reply = processor.process(Arrays.copyOf(req, n));
                assertNotEquals("00", new String(reply, 2, 2, StandardCharsets.US_ASCII), code + " truncated to " + n);
            }
        }
    }

    @Test
    void anSm4KeyAndATdesKeyOfTheSameCryptogramAreDifferentKeys() {
        byte[] clear = Parity.adjustOdd(RandomSource.secure().next(16));
        LmkKey asTdes = LMK.encrypt(KeyType.TAK, clear);
        LmkKey asSm4 = LMK.encryptSm4(KeyType.TAK, clear);
        assertNotEquals(dev.posgate.crypto.Hex.encode(asTdes.cryptogram()), dev.posgate.crypto.Hex.encode(asSm4.cryptogram()));
        // re-tagged, the TDES cryptogram decrypts under the SM4 variants to another value
        byte[] retagged = LMK.decrypt(KeyType.TAK, LmkKey.of(KeyScheme.P, asTdes.cryptogram()));
        assertNotEquals(dev.posgate.crypto.Hex.encode(clear), dev.posgate.crypto.Hex.encode(retagged));
    }
}
