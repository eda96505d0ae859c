package dev.posgate.bench.iso8583;

import dev.posgate.iso8583.frame.Family;
import dev.posgate.iso8583.frame.FrameDecoder;
import dev.posgate.iso8583.frame.FrameEncoder;
import dev.posgate.iso8583.frame.FrameError;
import dev.posgate.iso8583.frame.FrameLimits;
import dev.posgate.iso8583.frame.FrameSink;
import dev.posgate.iso8583.pos.AppHeader;
import dev.posgate.iso8583.pos.MacBlock;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.PosPackager;
import dev.posgate.iso8583.pos.Tpdu;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.packager.GenericPackager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The iso8583 module's hot paths.
 *
 * <ul>
 *   <li>{@code pos*} vs {@code generic*}: pack / unpack of a typical 0200 purchase (fields 2 3 4 11 14 22 25
 *       26 35 49 52 53 60 64) with the project's {@link PosPackager} (strict checks included) vs a plain jPOS
 *       {@link GenericPackager} loaded from {@code cup-pos-generic-packager.xml}, the same field table. Both
 *       work on the same ISO bytes ({@code MTI | bitmap | fields}), so the comparison is like for like.</li>
 *   <li>{@code message*}: the gateway's view, {@link PosMessage} with TPDU and header.</li>
 *   <li>{@code frameDecoder}: {@link FrameDecoder} on a stream of {@value #FRAMES} mixed frames fed in
 *       1460-byte (one TCP MSS) chunks; the score is per frame.</li>
 * </ul>
 *
 * Run: {@code java -cp <load-test classpath> org.openjdk.jmh.Main PackagerBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PackagerBenchmark {
    static final int FRAMES = 1000;
    static final int CHUNK = 1460;

    private GenericPackager generic;
    private ISOMsg purchaseIso;
    private byte[] purchaseBody;
    private byte[] isoBytes;
    private byte[] stream;

    @Setup
    public void setup() throws ISOException, IOException {
        try (InputStream in = PackagerBenchmark.class.getResourceAsStream("/cup-pos-generic-packager.xml")) {
            generic = new GenericPackager(in);
        }
        PosMessage purchase = PosMessage.create(new Tpdu(3, 0), new AppHeader(60, 22, 0, 0, 1), "0200")
                .set(2, "6225880112345678901").set(3, "000000").set(4, "000000010000").set(11, "000123")
                .set(14, "2512").set(22, "051").set(25, "00").set(26, "12")
                .set(35, "6225880112345678901=25121010000").set(49, "156")
                .set(52, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}).set(53, "2600000000000000")
                .set(60, "22000001000").set(64, new byte[] {9, 9, 9, 9, 9, 9, 9, 9});
        purchaseBody = purchase.pack();
        isoBytes = Arrays.copyOfRange(purchaseBody, 11, purchaseBody.length);
        purchaseIso = (ISOMsg) purchase.iso().clone();
        purchaseIso.recalcBitMap();

        // sanity: both packagers agree on the bytes, or the comparison is meaningless
        ISOMsg g = (ISOMsg) purchaseIso.clone();
        g.setPackager(generic);
        if (!Arrays.equals(g.pack(), isoBytes)) {
            throw new IllegalStateException("GenericPackager and PosPackager disagree");
        }

        Random rnd = new Random(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < FRAMES; i++) {
            if (i % 10 == 9) {
                out.writeBytes(FrameEncoder.keepAlive());
            } else if (i % 10 == 8) {
                byte[] tms = new byte[200 + rnd.nextInt(800)];
                tms[0] = 'T';
                out.writeBytes(FrameEncoder.encode(tms));
            } else {
                out.writeBytes(FrameEncoder.encode(purchaseBody));
            }
        }
        stream = out.toByteArray();
    }

    @Benchmark
    public byte[] posPack() {
        return PosPackager.INSTANCE.pack(purchaseIso, 0);
    }

    @Benchmark
    public byte[] genericPack() throws ISOException {
        return generic.pack(purchaseIso);
    }

    @Benchmark
    public ISOMsg posUnpack() {
        ISOMsg m = new ISOMsg();
        PosPackager.INSTANCE.unpack(m, isoBytes, 0, isoBytes.length);
        return m;
    }

    @Benchmark
    public ISOMsg genericUnpack() throws ISOException {
        ISOMsg m = new ISOMsg();
        generic.unpack(m, isoBytes);
        return m;
    }

    @Benchmark
    public byte[] messageUnpackPack() {
        return PosMessage.unpack(purchaseBody).pack();
    }

    @Benchmark
    public byte[] macBlock() {
        return MacBlock.of(purchaseBody);
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void frameDecoder(Blackhole bh) {
        FrameDecoder d = new FrameDecoder(FrameLimits.defaults(), new FrameSink() {
            @Override
            public void onFrame(Family family, byte[] body) {
                bh.consume(body);
            }

            @Override
            public void onError(FrameError error) {
                throw new IllegalStateException(error.name());
            }
        });
        for (int p = 0; p < stream.length; p += CHUNK) {
            d.feed(stream, p, Math.min(CHUNK, stream.length - p));
        }
    }
}
