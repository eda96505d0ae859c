package dev.posgate.terminal.kms;

import dev.posgate.crypto.RandomSource;
import dev.posgate.protocol.pki.CertificateRejectedException;
import dev.posgate.protocol.pki.CertificateRole;
import dev.posgate.protocol.pki.CertificateVerifier;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * Safe, one-time generation of the transmission key (CN103714633A), in the patent's order:
 * physical state (cover closed, supply voltage and temperature in range) → functional
 * self-check → erase the old TK → verify the KMS certificate against the root burnt into the
 * terminal → generate the TK in the PIN pad → encrypt it under the KMS public key. Any anomaly
 * aborts with nothing generated. After a success generation is disabled; opening the cover
 * afterwards erases the TK.
 */
public final class TkGenerationGuard {
    /** Operating ranges: supply 4.5–5.5 V, temperature −10–55 °C (the PIN pad's rated range). */
    public record SafeRanges(double minVolts, double maxVolts, double minCelsius, double maxCelsius) {
        public static SafeRanges defaults() {
            return new SafeRanges(4.5, 5.5, -10, 55);
        }
    }

    private final TransmissionKeyVault vault;
    private final Sensors sensors;
    private final SelfCheck selfCheck;
    private final SafeRanges ranges;
    private final RandomSource random;
    private boolean disabled;

    public TkGenerationGuard(TransmissionKeyVault vault, Sensors sensors, SelfCheck selfCheck, SafeRanges ranges,
            RandomSource random) {
        this.vault = vault;
        this.sensors = sensors;
        this.selfCheck = selfCheck;
        this.ranges = ranges;
        this.random = random;
    }

    /**
     * Generates the TK and returns Ctk_Pu for the operator terminal.
     *
     * @throws TkGenerationRefusedException on any anomaly, a bad KMS certificate, or a second attempt
     */
    public synchronized byte[] generate(byte[] kmsCertificate, CertificateVerifier root, Instant now) {
        if (disabled) throw new TkGenerationRefusedException("TK generation is disabled: a TK was already generated");
        SensorReadings r = sensors.read();
        if (!r.coverClosed()) throw new TkGenerationRefusedException("cover open");
        if (r.supplyVolts() < ranges.minVolts() || r.supplyVolts() > ranges.maxVolts()) {
            throw new TkGenerationRefusedException("supply voltage " + r.supplyVolts() + " V out of range");
        }
        if (r.temperatureCelsius() < ranges.minCelsius() || r.temperatureCelsius() > ranges.maxCelsius()) {
            throw new TkGenerationRefusedException("temperature " + r.temperatureCelsius() + " °C out of range");
        }
        List<String> failed = selfCheck.failures();
        if (!failed.isEmpty()) throw new TkGenerationRefusedException("self-check failed: " + failed);
        vault.erase();
        X509Certificate kms;
        try {
            kms = root.verify(kmsCertificate, CertificateRole.KMS, now);
        } catch (CertificateRejectedException e) {
            throw new TkGenerationRefusedException("KMS certificate refused (" + e.reason() + ")");
        }
        byte[] sm2Point = CertificateVerifier.sm2PublicKey(kms);
        byte[] sealed;
        if (sm2Point != null) { // an SM4 terminal's KMS: SM4 TK, SM2 block (docs/kms.md, "K-flow with SM2")
            vault.generate(random, true);
            sealed = vault.sealForSm2(sm2Point);
        } else {
            vault.generate(random);
            sealed = vault.sealFor(kms.getPublicKey());
        }
        disabled = true;
        return sealed;
    }

    public synchronized boolean generationDisabled() {
        return disabled;
    }

    /** The cover-open switch: the TK is erased at once. */
    public void onCoverOpened() {
        vault.erase();
    }
}
