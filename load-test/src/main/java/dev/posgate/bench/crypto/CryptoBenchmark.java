package dev.posgate.bench.crypto;

import dev.posgate.crypto.Hex;
import dev.posgate.crypto.Macs;
import dev.posgate.crypto.PinBlocks;
import dev.posgate.crypto.Rsa;
import dev.posgate.crypto.Tdes;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hot-path payment-crypto primitives of {@code posgate-crypto}: what one MAC verify, one PIN
 * translate or one K/L-flow RSA step costs. Average time per operation, single thread.
 *
 * <pre>
 * java -jar load-test/target/benchmarks.jar CryptoBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CryptoBenchmark {
    private byte[] key16;
    private byte[] block8;
    private byte[] data64;
    private byte[] mab128;
    private PrivateKey rsaPrivate;
    private byte[] oaepCiphertext;
    private byte[] ctmkAndRnd2;

    @Setup
    public void setUp() {
        key16 = Hex.decode("0123456789ABCDEFFEDCBA9876543210");
        block8 = Hex.decode("1122334455667788");
        SecureRandom r = new SecureRandom(new byte[] {1});
        data64 = new byte[64];
        r.nextBytes(data64);
        mab128 = new byte[128];
        r.nextBytes(mab128);
        KeyPair kp = Rsa.generate(2048, new SecureRandom());
        rsaPrivate = kp.getPrivate();
        byte[] tkBlock = new byte[40];
        r.nextBytes(tkBlock);
        oaepCiphertext = Rsa.oaepEncrypt(kp.getPublic(), tkBlock);
        ctmkAndRnd2 = new byte[24];
        r.nextBytes(ctmkAndRnd2);
    }

    /** One TDES block under a double-length key (working-key unwrap, KCV, E_AUK). */
    @Benchmark
    public byte[] tdesEcb8DoubleLength() {
        return Tdes.encryptEcb(key16, block8);
    }

    /** X9.19 retail MAC over 64 bytes (TMS download MAC, profile-selected POS MAC). */
    @Benchmark
    public byte[] x919Over64Bytes() {
        return Macs.x919(key16, data64);
    }

    /** UnionPay ECB MAC over a 128-byte MAB (default POS field 64). */
    @Benchmark
    public byte[] unionPayEcbOver128Bytes() {
        return Macs.unionPayEcb(key16, mab128);
    }

    /** ISO 9564 format 0 clear PIN block. */
    @Benchmark
    public byte[] pinBlockFormat0Encode() {
        return PinBlocks.format0("123456", "6212345678901234567");
    }

    /** RSA-2048 OAEP-SHA-256 decryption of a 40-byte TK block (K-flow, KMS side). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] rsa2048OaepDecrypt() {
        return Rsa.oaepDecrypt(rsaPrivate, oaepCiphertext);
    }

    /** RSA-2048 PKCS#1 v1.5 type-1 private encryption of Ctmk ‖ Rnd2 (L-flow, loader side). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] rsa2048Pkcs1Type1PrivateEncrypt() {
        return Rsa.privateEncryptPkcs1Type1(rsaPrivate, ctmkAndRnd2);
    }
}
