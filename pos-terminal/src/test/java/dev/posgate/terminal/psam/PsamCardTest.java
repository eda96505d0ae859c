package dev.posgate.terminal.psam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.Diversification;
import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.Macs;
import dev.posgate.crypto.PinBlocks;
import dev.posgate.crypto.Tdes;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.protocol.posp.WorkingKeyBlock;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PsamCardTest {
    private static final byte[] ROOT = HexFormat.of().parseHex("0123456789ABCDEFFEDCBA9876543210");
    private static final byte[] TRANSPORT = HexFormat.of().parseHex("1C1C1C1C1C1C1C1C2A2A2A2A2A2A2A2A");
    private static final byte[] PIK = HexFormat.of().parseHex("0B0B0B0B0B0B0B0B0D0D0D0D0D0D0D0D");
    private static final byte[] MAK = HexFormat.of().parseHex("10101010101010101F1F1F1F1F1F1F1F");
    private static final String CARD = "1000000000000042";

    private static PsamCard issued() {
        byte[] cardKey = Diversification.pboc(ROOT, Diversification.psamDiversifier(CARD));
        return PsamCard.issue(CARD, TRANSPORT, Tdes.encryptEcb(TRANSPORT, cardKey), Kcv.of(cardKey, 4));
    }

    private static WorkingKeyBlock block(byte[] kek, byte[] pik, byte[] mak) {
        return WorkingKeyBlock.of(SignOnMode.DOUBLE, List.of(
                new WorkingKeyBlock.Entry(Tdes.encryptEcb(kek, pik), Kcv.of(pik, 4)),
                new WorkingKeyBlock.Entry(Tdes.encryptEcb(kek, mak), Kcv.of(mak, 4))));
    }

    @Test
    void issuanceChecksTheCardKeyAgainstItsKcv() {
        byte[] cardKey = Diversification.pboc(ROOT, Diversification.psamDiversifier(CARD));
        assertThrows(IllegalArgumentException.class,
                () -> PsamCard.issue(CARD, new byte[16], Tdes.encryptEcb(TRANSPORT, cardKey), Kcv.of(cardKey, 4)));
    }

    @Test
    void acceptsKeysOnlyUnderItsOwnMasterKeyAndKeepsThePreviousOnesOtherwise() {
        PsamCard card = issued();
        byte[] cardKey = Diversification.pboc(ROOT, Diversification.psamDiversifier(CARD));
        assertFalse(card.hasWorkingKeys());
        byte[] otherCard = Diversification.pboc(ROOT, Diversification.psamDiversifier("1000000000000043"));
        assertFalse(card.acceptWorkingKeys(block(otherCard, PIK, MAK)), "keys for another card");
        assertFalse(card.hasWorkingKeys());

        assertTrue(card.acceptWorkingKeys(block(cardKey, PIK, MAK)));
        byte[] mab = "0200 message bytes".getBytes();
        assertArrayEquals(Macs.unionPayEcb(MAK, mab), card.mac(mab, false));
        assertArrayEquals(Macs.x919(MAK, mab), card.mac(mab, true));
        assertArrayEquals(Tdes.encryptEcb(PIK, PinBlocks.format0("123456", "6222021234567890123")),
                card.encryptPin("123456", "6222021234567890123"));

        // A tampered block is refused and the installed keys stay.
        WorkingKeyBlock good = block(cardKey, MAK, PIK);
        byte[] f62 = good.encode();
        f62[3] ^= 1;
        assertFalse(card.acceptWorkingKeys(WorkingKeyBlock.decode(SignOnMode.DOUBLE, f62)));
        assertArrayEquals(Macs.unionPayEcb(MAK, mab), card.mac(mab, false));
    }
}
