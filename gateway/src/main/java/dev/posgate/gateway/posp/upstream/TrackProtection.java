package dev.posgate.gateway.posp.upstream;

import dev.posgate.hsm.CipherMode;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyAlgorithm;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.TrackDataBlock;
import io.vertx.core.Future;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Tracks 2 and 3 (fields 35/36) a terminal encrypted under its TDK (53.3 = 1), as UnionPay POS
 * terminals do: in the packed track, the 8 bytes ending one byte before the last (the track data
 * block, TDB) are TDES-ECB under the TDK; the rest stays clear (docs/protocol-choices.md). Under an
 * SM4 TDK (an SM4 terminal) the TDB is the 16 bytes ending there, SM4-ECB (docs/national-crypto.md). The HSM
 * decrypts the block (M2 under the TDK's type); the gateway checks that it decrypted to track
 * characters, reads the PAN of track 2, and builds the host's copy per
 * {@code upstream.track.protection}: the block re-encrypted under the zone ZEK (M0), or clear for a
 * host on a private link. Clear blocks are wiped once used; with the ZEK profile no clear track
 * leaves this class, only the PAN.
 */
public final class TrackProtection {
    /** How the host's link carries tracks. */
    public enum Upstream {
        ZEK, CLEAR;

        public static Upstream of(String value) {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** Bytes of a packed track: enough for a TDB and the last byte that stays clear. */
    private static final int[] TRACKS = {35, 36};

    /**
     * The host's copy of the tracks: the PAN of track 2 (null without track 2), the tracks as the
     * host gets them (field → wire nibbles) and whether they are encrypted under the ZEK.
     */
    public record HostTracks(String pan, Map<Integer, String> tracks, boolean encrypted) {
        /** Tracks that did not decrypt to track characters under the terminal's TDK, or no TDK to try. */
        public static final HostTracks UNREADABLE = new HostTracks(null, Map.of(), false);

        /** Puts the tracks, field 2 (when the terminal sent none) and 53.3 into the host's message. */
        public void applyTo(PosMessage up) {
            if (!up.has(2) && pan != null) up.set(2, pan);
            tracks.forEach(up::set);
            if (up.has(53)) {
                String f53 = up.field(53);
                up.set(53, f53.substring(0, 2) + (encrypted ? '1' : '0') + f53.substring(3));
            }
        }

        @Override
        public String toString() {
            return "HostTracks[" + tracks.keySet() + (encrypted ? " under ZEK" : " clear") + "]";
        }
    }

    private final Hsm hsm;

    public TrackProtection(Hsm hsm) {
        this.hsm = hsm;
    }

    /** True when the request carries a track under its TDK. */
    public static boolean encrypted(PosMessage request) {
        return request.trackEncrypted() && (request.has(35) || request.has(36));
    }

    /**
     * The host's tracks of {@code request}; {@link HostTracks#UNREADABLE} when a track is too short
     * to hold a TDB, does not decrypt to digits and separators, has no PAN before its separator or
     * a PAN other than field 2. {@code zek} is null for the clear profile.
     */
    public Future<HostTracks> open(PosMessage request, LmkKey tdk, LmkKey zek) {
        Map<Integer, String> out = new LinkedHashMap<>();
        Future<String> pan = Future.succeededFuture(null);
        for (int f : TRACKS) {
            if (!request.has(f)) continue;
            int digits = request.field(f).length();
            byte[] packed = request.packedDigits(f);
            // the TDB is the key's block: 8 bytes under a TDES TDK, 16 under an SM4 TDK (docs/national-crypto.md)
            int block = blockOf(tdk);
            if (packed.length < block + 1) return Future.succeededFuture(HostTracks.UNREADABLE);
            pan = pan.compose(p -> hsm.decryptData(KeyType.TDK, tdk, CipherMode.ECB, null, TrackDataBlock.of(packed, block)).compose(clear -> {
                byte[] track = TrackDataBlock.replaced(packed, clear);
                byte[] hostBlock = null;
                boolean handedOn = false;
                try {
                    if (!trackCharacters(track, digits, f == 35)) return Future.succeededFuture(p);
                    String trackPan = f == 35 ? panOf(track, digits) : p;
                    if (f == 35 && trackPan == null) return Future.succeededFuture(p);
                    if (zek == null) {
                        out.put(f, TrackDataBlock.text(track, digits));
                        return Future.succeededFuture(trackPan);
                    }
                    // the host's TDB is the ZEK's block of the clear track (an SM4 terminal's track re-protected under a TDES ZEK)
                    int zekBlock = blockOf(zek);
                    if (track.length < zekBlock + 1) return Future.succeededFuture(p);
                    hostBlock = TrackDataBlock.of(track, zekBlock);
                    handedOn = true;
                    return hsm.encryptData(KeyType.ZEK, zek, CipherMode.ECB, null, hostBlock).map(underZek -> {
                        out.put(f, TrackDataBlock.text(TrackDataBlock.replaced(track, underZek), digits));
                        return trackPan;
                    }).onComplete(ar -> Arrays.fill(track, (byte) 0));
                } finally {
                    Arrays.fill(clear, (byte) 0);
                    if (hostBlock != null) Arrays.fill(hostBlock, (byte) 0);
                    if (!handedOn) Arrays.fill(track, (byte) 0);
                }
            }));
        }
        return pan.map(p -> {
            boolean allRead = out.size() == (request.has(35) ? 1 : 0) + (request.has(36) ? 1 : 0);
            boolean panAgrees = !request.has(35) || p != null && (!request.has(2) || request.field(2).equals(p));
            return allRead && panAgrees ? new HostTracks(p, Map.copyOf(out), zek != null) : HostTracks.UNREADABLE;
        });
    }

    private static int blockOf(LmkKey key) {
        return key.algorithm() == KeyAlgorithm.SM4 ? TrackDataBlock.SM4_BLOCK : 8;
    }

    /**
     * Digits and separators only; track 2 has exactly one separator. A wrong key passes this with a
     * probability of about (10/16)^16 (≈ 0.05 %) per block; the issuer then declines the card data.
     */
    private static boolean trackCharacters(byte[] packed, int digits, boolean track2) {
        int separators = 0;
        for (int i = 0; i < digits; i++) {
            int nib = TrackDataBlock.nibble(packed, i);
            if (nib == 0x0D) separators++;
            else if (nib > 9) return false;
        }
        return !track2 || separators == 1;
    }

    /** The 1-19 digits before the first separator, or null. */
    private static String panOf(byte[] packed, int digits) {
        StringBuilder pan = new StringBuilder();
        for (int i = 0; i < digits; i++) {
            int nib = TrackDataBlock.nibble(packed, i);
            if (nib == 0x0D) return pan.length() == 0 || pan.length() > 19 ? null : pan.toString();
            pan.append((char) ('0' + nib));
        }
        return null;
    }
}
