package dev.posgate.hsm.sim;

import static dev.posgate.hsm.sim.SimTestSupport.assertHsmError;
import static dev.posgate.hsm.sim.SimTestSupport.await;
import static dev.posgate.hsm.sim.SimTestSupport.randomKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Rsa;
import dev.posgate.crypto.Tdes;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.HsmErrors;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.KeyWithKcv;
import dev.posgate.hsm.RemoteHsm;
import dev.posgate.hsm.RsaKeyPair;
import dev.posgate.hsm.RsaKeyUsage;
import dev.posgate.hsm.WrappedKey;
import dev.posgate.hsm.Wrapping;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13 probe: a client of the HSM generated an RSA pair (EI), imported a ZMK of its own
 * choosing under it (GI) and exported a TMK it never knew under that ZMK (A8): every key under
 * the LMK was one step away. Key import and export under a caller's key now need the authorised
 * state (payShield error 17 without it), which an operator grants per command and for a time.
 */
@ExtendWith(VertxExtension.class)
class HsmAuthorisationTest {

    @Test
    void eiGiA8CannotExportAGeneratedTmkWithoutTheAuthorisedState(Vertx vertx) {
        HsmSimulator sim = await(HsmSimulator.start(vertx, HsmSimConfig.builder().port(0)
                .lmk(Lmk.generate(RandomSource.secure())).workerPoolSize(1).build()));
        SingleConnectionTransport t = await(SingleConnectionTransport.connect(vertx, sim.port(), 4));
        try {
            Hsm hsm = new RemoteHsm(t);
            KeyWithKcv tmk = await(hsm.generateKey(KeyType.TMK));
            // EI is no key movement: it still works
            RsaKeyPair attacker = await(hsm.generateRsaKeyPair(RsaKeyUsage.KEY_MANAGEMENT, 1024));
            byte[] zmkClear = randomKey(16);
            byte[] zmkUnderRsa = Rsa.oaepEncrypt(Rsa.decodePublicKey(attacker.publicKeyDer()), zmkClear);
            assertHsmError(HsmErrors.NOT_AUTHORISED,
                    hsm.importKeyUnderRsa(KeyType.ZMK, KeyScheme.U, attacker.privateKey(), zmkUnderRsa));
            // nor under a ZMK the HSM made itself, nor under the TMK of another terminal
            KeyWithKcv zmk = await(hsm.generateKey(KeyType.ZMK));
            assertHsmError(HsmErrors.NOT_AUTHORISED, hsm.exportKey(KeyType.TMK, Wrapping.ZMK, zmk.key(), tmk.key()));
            assertHsmError(HsmErrors.NOT_AUTHORISED, hsm.exportKey(KeyType.TMK, Wrapping.TMK,
                    await(hsm.generateKey(KeyType.TMK)).key(), tmk.key()));
            assertHsmError(HsmErrors.NOT_AUTHORISED, hsm.importKey(KeyType.ZPK, zmk.key(),
                    WrappedKey.ofCryptogram(randomKey(16))));

            // the operator's authorised state opens exactly this path: the attack is real
            sim.processor().authorise(Authorisation.of(Set.of("GI", "A8"), Duration.ofMinutes(1)));
            KeyWithKcv known = await(hsm.importKeyUnderRsa(KeyType.ZMK, KeyScheme.U, attacker.privateKey(), zmkUnderRsa));
            byte[] exported = await(hsm.exportKey(KeyType.TMK, Wrapping.ZMK, known.key(), tmk.key())).key().cryptogram();
            assertEquals(tmk.kcv().hex().substring(0, 6), dev.posgate.crypto.Kcv.hex6(Tdes.decryptEcb(zmkClear, exported)),
                    "the TMK in clear for whoever chose the ZMK");
            sim.processor().authorise(Authorisation.NONE);
            assertHsmError(HsmErrors.NOT_AUTHORISED, hsm.exportKey(KeyType.TMK, Wrapping.ZMK, known.key(), tmk.key()));
        } finally {
            await(t.close());
            await(sim.stop());
        }
    }

    @Test
    void theAuthorisedStateIsPerCommandAndEnds() {
        Instant start = Instant.parse("2026-12-02T10:00:00Z");
        Clock[] now = {Clock.fixed(start, ZoneOffset.UTC)};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0].instant();
            }
        };
        Authorisation a = Authorisation.of(Set.of("a8"), Duration.ofMinutes(15), clock);
        assertTrue(a.permits("A8"));
        assertFalse(a.permits("GI"));
        assertTrue(a.permits("A0"), "commands that move no key under a caller's key need no authorisation");
        now[0] = Clock.fixed(start.plus(Duration.ofMinutes(15)), ZoneOffset.UTC);
        assertFalse(a.permits("A8"));
        assertFalse(Authorisation.NONE.permits("A6"));
        assertThrows(IllegalArgumentException.class, () -> Authorisation.of(Set.of("M6"), Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> Authorisation.of(Set.of("A8"), Duration.ofDays(1)));
    }
}
