package dev.posgate.bench.crypto;

import dev.posgate.crypto.Hex;
import dev.posgate.crypto.Macs;
import dev.posgate.crypto.PaddingMethod;
import dev.posgate.crypto.PinBlocks;
import dev.posgate.crypto.Rsa;
import dev.posgate.crypto.Sm4;
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
    private byte[] block16;
    private byte[] sm4Key;
    private byte[] data64;
    private byte[] mab128;
    private PrivateKey rsaPrivate;
    private byte[] oaepCiphertext;
    private byte[] ctmkAndRnd2;

    @Setup
    public void setUp() {
        key16 = Hex.decode("0123456789ABCDEFFEDCBA9876543210");
        block8 = Hex.decode("1122334455667788");
        block16 = Hex.decode("0123456789ABCDEFFEDCBA9876543210");
        sm4Key = Hex.decode("0123456789ABCDEFFEDCBA9876543210"); // the GB/T 32907 example key
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

    // SM4 next to TDES (issue 17): each pair is the same operation in both families, as a terminal
    // or the software HSM runs it (docs/benchmarks.md, "SM4 vs TDES primitives").
    // Select them with: CryptoBenchmark\.(ecbBlock|cbcMac|posMac|pinBlockEncrypted)

    /** One TDES-ECB block (8 bytes) under a double-length key: a working-key unwrap or E_AUK step. */
    @Benchmark
    public byte[] ecbBlockTdes() {
        return Tdes.encryptEcb(key16, block8);
    }

    /** One SM4-ECB block (16 bytes) under a 16-byte key: the SM4 terminal's counterpart. */
    @Benchmark
    public byte[] ecbBlockSm4() {
        return Sm4.encryptEcb(sm4Key, block16);
    }

    /** TDES CBC-MAC (ISO 9797-1 alg. 1, padding 1) over a 128-byte MAB: 16 TDES blocks. */
    @Benchmark
    public byte[] cbcMacMab128Tdes() {
        return Macs.iso9797Alg1(key16, mab128, PaddingMethod.METHOD_1);
    }

    /** SM4 CBC-MAC (ISO 9797-1 alg. 1, padding 1) over the same 128 bytes: 8 SM4 blocks (TMS TAC/SAC). */
    @Benchmark
    public byte[] cbcMacMab128Sm4() {
        return Macs.sm4CbcMac(sm4Key, mab128, PaddingMethod.METHOD_1);
    }

    /** UnionPay POS MAC (ECB, TDES) over a 128-byte MAB: field 64 of a TDES terminal. */
    @Benchmark
    public byte[] posMacMab128Tdes() {
        return Macs.unionPayEcb(key16, mab128);
    }

    /** UnionPay SM4 POS MAC over the same MAB: field 64 of an SM4 terminal. */
    @Benchmark
    public byte[] posMacMab128Sm4() {
        return Macs.unionPaySm4(sm4Key, mab128);
    }

    /** ISO 9564 format 0 PIN block encrypted under a TDES PIK (field 52 of a TDES terminal). */
    @Benchmark
    public byte[] pinBlockEncryptedTdes() {
        return Tdes.encryptEcb(key16, PinBlocks.format0("123456", "6212345678901234567"));
    }

    /** The 16-byte SM4 format-0 PIN block encrypted under an SM4 PIK (an SM4 terminal's, field 63). */
    @Benchmark
    public byte[] pinBlockEncryptedSm4() {
        return Sm4.encryptEcb(sm4Key, PinBlocks.sm4Format0("123456", "6212345678901234567"));
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
