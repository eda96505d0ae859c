package dev.posgate.gateway.posp.upstream;

import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.iso8583.pos.AppHeader;
import dev.posgate.iso8583.pos.IccData;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.Tpdu;

/**
 * The upstream message format (docs/posp.md): the terminal's ISO8583 layout and framing, TPDU
 * {@code 60 0001 0000}, the terminal's application header; field 52 re-encrypted under the ZPK,
 * field 32 set to the acquirer, field 64 the UnionPay ECB MAC under the ZAK. Clear track data is
 * not forwarded: a swiped card without field 2 gets its PAN from track 2 in field 2. ICC data
 * (55, validated as BER-TLV by the handler) and the card sequence number (23) go up as sent; the
 * gateway's own reversal of an IC transaction carries the reversal subset of 55
 * ({@link IccData#REVERSAL_TAGS}) and 23.
 * Tracks a terminal encrypted under its TDK (53.3 = 1) are forwarded, re-protected per
 * upstream.track.protection ({@link TrackProtection}).
 * Field 38 (the original's auth code in a pre-auth cancel, completion or completion void), 37 (a refund's
 * original host reference) and 61 go up as sent.
 * Field 59 (terminal information: TUSN, location) is carried through (protocol.md 2.1).
 * The zone keys toward the host are TDES: an SM4 terminal's 53.2 ({@code 4}) goes up as {@code 6},
 * matching the ISO format-0 block under the ZPK (docs/posp.md, "SM4 terminals").
 */
public final class UpstreamMessages {
    /** TPDU addresses of the POSP → host direction. */
    public static final Tpdu TPDU = new Tpdu(0x0001, 0x0000);
    /**
     * The header toward the host for a terminal that sent none (a headerless centre dialect on the
     * listener, listener.app.header = false): the upstream link always carries one.
     */
    static final AppHeader NO_TERMINAL_HEADER = AppHeader.parse("600000000000");

    private static final int[] FORWARDED = {2, 3, 4, 11, 12, 13, 14, 22, 23, 25, 26, 37, 38, 41, 42, 49, 53, 55, 59, 60, 61};

    private UpstreamMessages() {}

    /** The host's copy of a terminal request, without MAC; {@code zpkPinBlock} may be null. */
    public static PosMessage request(PosMessage terminal, byte[] zpkPinBlock, String acquirerId) {
        return request(terminal, zpkPinBlock, acquirerId, null);
    }

    /**
     * {@link #request(PosMessage, byte[], String)} with the tracks a terminal sent encrypted under
     * its TDK, re-protected for the host ({@code tracks} null: none).
     */
    public static PosMessage request(PosMessage terminal, byte[] zpkPinBlock, String acquirerId, TrackProtection.HostTracks tracks) {
        PosMessage up = PosMessage.create(TPDU, terminal.header().present() ? terminal.header() : NO_TERMINAL_HEADER,
                terminal.mti());
        copy(terminal, up, FORWARDED);
        if (!up.has(2) && terminal.pan() != null) up.set(2, terminal.pan());
        if (terminal.mti().equals("0400") && terminal.has(39)) up.set(39, terminal.field(39));
        if (terminal.mti().equals("0400") && up.has(55)) {
            // a terminal's reversal: only UnionPay's reversal tags go up (and into the reversal queue)
            byte[] subset = IccData.reversalSubset(up.binary(55));
            if (subset == null) up.unset(55);
            else up.set(55, subset);
        }
        up.set(32, acquirerId);
        if (zpkPinBlock != null) up.set(52, zpkPinBlock);
        String f53 = up.field(53);
        if (f53 != null && f53.length() >= 2 && f53.charAt(1) == '4') up.set(53, f53.charAt(0) + "6" + f53.substring(2));
        if (tracks != null) tracks.applyTo(up);
        return up;
    }

    /**
     * The reversal the POSP sends on its own when the host did not answer {@code original}: 0400
     * with the same STAN, amount and field 60, reason {@code 98} (no response) in field 39. No
     * PAN and no PIN: the host finds the original by terminal, batch and STAN, and the queue
     * keeps nothing sensitive at rest. An IC transaction's reversal carries 23 and, of its 55, only
     * UnionPay's reversal tags ({@link IccData#REVERSAL_TAGS}: never the PAN 5A or track 57).
     */
    public static PosMessage reversalOf(PosMessage original) {
        PosMessage rev = PosMessage.create(TPDU, original.header(), "0400");
        copy(original, rev, new int[] {3, 4, 11, 22, 23, 25, 32, 41, 42, 49, 60});
        byte[] icc = original.has(55) ? IccData.reversalSubset(original.binary(55)) : null;
        if (icc != null) rev.set(55, icc);
        rev.set(39, ResultCode.NO_ANSWER_RECEIVED.code());
        return rev;
    }

    private static void copy(PosMessage from, PosMessage to, int[] fields) {
        for (int f : fields) {
            if (!from.has(f)) continue;
            String v = from.field(f);
            if (f == 52 || f == 55 || f == 64) to.set(f, from.binary(f));
            else to.set(f, v);
        }
    }
}
