package dev.posgate.terminal.kms;

import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Tdes;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.protocol.loader.DeviceIdentity;
import dev.posgate.protocol.loader.LoaderTerminalSession;
import dev.posgate.protocol.loader.TmkSlot;
import dev.posgate.protocol.pki.CertificateVerifier;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Arrays;

/** Runs the terminal side of the L-flow (L1 → L2 → L3) over a {@link TerminalLink}. */
public final class KeyLoaderClient {
    private KeyLoaderClient() {}

    /** Completes with the KCV of the TMK now in slot {@code keyIndex}; fails if the loader is refused. */
    public static Future<byte[]> loadTmk(TerminalLink link, String sn, int keyIndex, CertificateVerifier acquirerRoot,
            PinPad pinPad) {
        return loadTmk(link, sn, keyIndex, acquirerRoot, pinPad, null);
    }

    /** As above, for a terminal with a device certificate ({@code device} non-null: L2 carries DF2A and DF2B). */
    public static Future<byte[]> loadTmk(TerminalLink link, String sn, int keyIndex, CertificateVerifier acquirerRoot,
            PinPad pinPad, DeviceIdentity device) {
        return loadTmk(link, new LoaderTerminalSession(sn, keyIndex, acquirerRoot, slot(pinPad), RandomSource.secure(), device));
    }

    /**
     * An SM4 terminal's L-flow (docs/kms.md "L-flow with SM2"): {@code acquirerRoot} is the
     * acquirer's SM2 root; the TMK arrives SM4-ECB under Rnd1 with the loader's SM2 signature.
     */
    public static Future<byte[]> loadSm4Tmk(TerminalLink link, String sn, int keyIndex, CertificateVerifier acquirerRoot,
            PinPad pinPad) {
        return loadTmk(link, new LoaderTerminalSession(sn, keyIndex, acquirerRoot, slot(pinPad), RandomSource.secure(), null).sm());
    }

    private static Future<byte[]> loadTmk(TerminalLink link, LoaderTerminalSession s) {
        return link.request(s.l1().pack())
                .compose(b -> link.request(s.onL1(TmsMessage.unpack(b), Instant.now()).pack()))
                .compose(b -> link.request(s.onL2(TmsMessage.unpack(b)).pack()))
                .map(b -> {
                    s.onL3(TmsMessage.unpack(b));
                    return s.kcv();
                });
    }

    /** The PIN pad's TMK slot as the L-flow sees it: decrypt under Rnd1 inside the pad, keep the key. */
    public static TmkSlot slot(PinPad pinPad) {
        return new TmkSlot() {
            @Override
            public byte[] installTmk(int index, byte[] rnd1, byte[] ctmk) {
                byte[] clear = Tdes.decryptEcb(rnd1, ctmk);
                try {
                    pinPad.write(index, KeyRole.TMK, clear);
                    return Kcv.of(clear, 4);
                } finally {
                    Arrays.fill(clear, (byte) 0);
                }
            }

            @Override
            public byte[] installSm4Tmk(int index, byte[] rnd1, byte[] ctmk) {
                byte[] clear = dev.posgate.crypto.Sm4.decryptEcb(rnd1, ctmk);
                try {
                    pinPad.writeSm4(index, KeyRole.TMK, clear);
                    return Kcv.ofSm4(clear, 4);
                } finally {
                    Arrays.fill(clear, (byte) 0);
                }
            }
        };
    }
}
