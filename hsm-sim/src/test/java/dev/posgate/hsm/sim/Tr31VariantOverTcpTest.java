package dev.posgate.hsm.sim;

import static dev.posgate.hsm.sim.SimTestSupport.assertHsmError;
import static dev.posgate.hsm.sim.SimTestSupport.await;
import static dev.posgate.hsm.sim.SimTestSupport.form;
import static dev.posgate.hsm.sim.SimTestSupport.randomKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.posgate.crypto.KeyBlockHeader;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Tr31;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.RemoteHsm;
import dev.posgate.hsm.keyblock.KeyBlockKey;
import dev.posgate.hsm.keyblock.KeyBlockReply;
import dev.posgate.hsm.keyblock.Tr31Attributes;
import dev.posgate.hsm.keyblock.Tr31ExportRequest;
import dev.posgate.hsm.keyblock.Tr31GenerateRequest;
import dev.posgate.hsm.keyblock.Tr31ImportRequest;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TR-31 exchange of the gateway's <b>variant</b> keys (A8 … R, A6 … R…) through the software HSM
 * over TCP: blocks opened and made by the test with the known clear ZMK, check values
 * recomputed with BouncyCastle's DESede engine called directly.
 */
@ExtendWith(VertxExtension.class)
class Tr31VariantOverTcpTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private SimOverTcp tcp;
    private RemoteHsm hsm;
    private byte[] zmkClear;
    private LmkKey zmk;

    @BeforeEach
    void start(Vertx vertx) {
        tcp = SimOverTcp.start(vertx, "tr31", 1);
        hsm = tcp.hsm;
        zmkClear = randomKey(16);
        zmk = form(hsm, KeyType.ZMK, zmkClear);
    }

    @AfterEach
    void stop() {
        tcp.stop();
    }

    @Test
    void exportsAVariantKeyAsTr31() {
        byte[] takClear = randomKey(16);
        LmkKey tak = form(hsm, KeyType.TAK, takClear);
        KeyBlockReply r = await(hsm.execute(new Tr31ExportRequest(KeyType.TAK, zmk, tak, "00", new Tr31Attributes("M3",
                'C', "07", 'S', List.of(new KeyBlockHeader.OptionalBlock("KS", "00604B120F9292800000"))), null)));
        assertEquals('R', r.key().scheme());
        Tr31.Unwrapped u = Tr31.unwrap(zmkClear, r.key().block());
        assertArrayEquals(takClear, u.key());
        KeyBlockHeader h = u.header();
        assertEquals('B', h.versionId(), "default: key derivation binding");
        assertEquals("M3", h.keyUsage());
        assertEquals('T', h.algorithm());
        assertEquals('C', h.modeOfUse());
        assertEquals("07", h.keyVersion());
        assertEquals('S', h.exportability());
        assertEquals("00604B120F9292800000", h.optionalBlock("KS"));
        assertEquals(kcv(takClear), r.kcv());

        KeyBlockReply c = await(hsm.execute(new Tr31ExportRequest(KeyType.TMK, zmk, form(hsm, KeyType.TMK, takClear),
                null, new Tr31Attributes("P0", 'E', "00", 'N', List.of()), 'C')));
        assertEquals('C', c.key().header().versionId());
        assertArrayEquals(takClear, Tr31.unwrap(zmkClear, c.key().block()).key());
    }

    @Test
    void importsATr31BlockIntoTheVariantLmk() {
        byte[] clear = randomKey(16);
        String block = Tr31.wrap(zmkClear, KeyBlockHeader.of('B', "M3", 'T', 'C', "00", 'E'), clear,
                RandomSource.secure());
        Tr31ImportRequest.Reply r = await(hsm.execute(new Tr31ImportRequest(KeyType.TAK, zmk, KeyBlockKey.tr31(block),
                KeyScheme.U, null)));
        assertEquals(KeyScheme.U, r.key().scheme());
        assertEquals(kcv(clear), r.kcv());
        // the imported TAK goes back out as the same key
        KeyBlockReply back = await(hsm.execute(Tr31ExportRequest.of(KeyType.TAK, zmk, r.key(), "M3", 'G', 'N')));
        assertArrayEquals(clear, Tr31.unwrap(zmkClear, back.key().block()).key());
        // version A and D blocks: A imports; D needs an AES KBPK, which a variant ZMK is not
        String a = Tr31.wrap(zmkClear, KeyBlockHeader.of('A', "P0", 'T', 'E', "00", 'E'), clear, RandomSource.secure());
        assertEquals(kcv(clear), await(hsm.execute(new Tr31ImportRequest(KeyType.ZPK, zmk, KeyBlockKey.tr31(a),
                KeyScheme.U, null))).kcv());
    }

    /** A0 mode 1 with export scheme R (the manual page's variant → TR-31 fields). */
    @Test
    void generatesAVariantKeyAndItsTr31Block() {
        Tr31GenerateRequest req = new Tr31GenerateRequest(KeyType.ZPK, KeyScheme.U, zmk, "00",
                new Tr31Attributes("P0", 'B', "01", 'S', List.of()), null);
        Tr31GenerateRequest.Reply r = await(hsm.execute(req));
        assertEquals(KeyScheme.U, r.key().scheme());
        Tr31.Unwrapped u = Tr31.unwrap(zmkClear, r.exported().block());
        assertEquals(kcv(u.key()), r.kcv());
        assertEquals("P0", u.header().keyUsage());
        assertEquals("01", u.header().keyVersion());
        // the key under the LMK is the exported one: export it again and compare
        KeyBlockReply again = await(hsm.execute(Tr31ExportRequest.of(KeyType.ZPK, zmk, r.key(), "P0", 'B', 'N')));
        assertArrayEquals(u.key(), Tr31.unwrap(zmkClear, again.key().block()).key());
        assertThrows(IllegalArgumentException.class, () -> new Tr31GenerateRequest(KeyType.ZPK, KeyScheme.U, zmk, null,
                new Tr31Attributes("P0", 'B', "01", 'S', List.of(new KeyBlockHeader.OptionalBlock("TS", "x"))), null));
        assertHsmError(KeyBlockCommands.INVALID_KEY_USAGE,
                hsm.execute(Tr31GenerateRequest.of(KeyType.ZPK, KeyScheme.U, zmk, "M3", 'C', 'N')));
    }

    @Test
    void refusals() {
        byte[] clear = randomKey(16);
        LmkKey tak = form(hsm, KeyType.TAK, clear);
        // a MAC key exported as a PIN key, or with an encryption mode
        assertHsmError(KeyBlockCommands.INVALID_KEY_USAGE,
                hsm.execute(Tr31ExportRequest.of(KeyType.TAK, zmk, tak, "P0", 'E', 'N')));
        assertHsmError(KeyBlockCommands.INVALID_MODE_OF_USE,
                hsm.execute(Tr31ExportRequest.of(KeyType.TAK, zmk, tak, "M3", 'E', 'N')));
        // the extensions have no TR-31 form
        assertHsmError("28", hsm.execute(Tr31ExportRequest.of(KeyType.DWK, zmk, tak, "D0", 'B', 'N')));
        // exportability E is not allowed from a variant LMK (payShield manual: N or S)
        assertThrows(IllegalArgumentException.class, () -> Tr31ExportRequest.of(KeyType.TAK, zmk, tak, "M3", 'C', 'E'));
        // import: tampered header, usage that does not fit the type, AES key, wrong length for the scheme
        String block = Tr31.wrap(zmkClear, KeyBlockHeader.of('B', "M3", 'T', 'C', "00", 'E'), clear, RandomSource.secure());
        String tampered = block.substring(0, 8) + "G" + block.substring(9);
        assertHsmError(KeyBlockCommands.AUTHENTICATION_FAILURE, hsm.execute(new Tr31ImportRequest(KeyType.TAK, zmk,
                KeyBlockKey.tr31(tampered), KeyScheme.U, null)));
        assertHsmError(KeyBlockCommands.INVALID_KEY_USAGE, hsm.execute(new Tr31ImportRequest(KeyType.ZPK, zmk,
                KeyBlockKey.tr31(block), KeyScheme.U, null)));
        String aes = Tr31.wrap(zmkClear, KeyBlockHeader.of('B', "M3", 'A', 'C', "00", 'E'), new byte[16],
                RandomSource.secure());
        assertHsmError(KeyBlockCommands.INVALID_ALGORITHM, hsm.execute(new Tr31ImportRequest(KeyType.TAK, zmk,
                KeyBlockKey.tr31(aes), KeyScheme.U, null)));
        assertHsmError("27", hsm.execute(new Tr31ImportRequest(KeyType.TAK, zmk, KeyBlockKey.tr31(block),
                KeyScheme.T, null)));
        // a ZMK of another type (variant) does not decrypt: parity error 10
        assertHsmError("10", hsm.execute(new Tr31ImportRequest(KeyType.TAK, tak, KeyBlockKey.tr31(block),
                KeyScheme.U, null)));
    }

    private static String kcv(byte[] key) {
        DESedeEngine e = new DESedeEngine();
        e.init(true, new KeyParameter(key));
        byte[] out = new byte[8];
        e.processBlock(new byte[8], 0, out, 0);
        return HEX.formatHex(out, 0, 3);
    }
}
