package dev.posgate.gateway.posp.upstream;

import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.MacParams;
import dev.posgate.iso8583.pos.MacBlock;
import dev.posgate.iso8583.pos.PosMessage;
import io.vertx.core.Future;

/**
 * Field 64 computed in the HSM: pack with a placeholder, MAC the MAB, write the MAC in place (no
 * second pack). Used with the terminal's MAK toward terminals and with the ZAK toward the host.
 */
public final class MessageSealer {
    private static final byte[] PLACEHOLDER = new byte[MacBlock.MAC_LENGTH];

    private MessageSealer() {}

    /** The packed body of {@code message} with its MAC: UnionPay ECB, or X9.19 when {@code x919}. */
    public static Future<byte[]> seal(Hsm hsm, KeyType type, LmkKey key, boolean x919, PosMessage message) {
        message.set(64, PLACEHOLDER);
        byte[] body = message.pack();
        byte[] mab = MacBlock.of(body, message.dialect()); // a headerless centre's reply has no header either
        Future<byte[]> mac = x919 ? hsm.generateMac(type, key, MacParams.X9_19, mab) : hsm.generateUnionPayMac(type, key, mab);
        return mac.map(m -> {
            MacBlock.writeMac(body, m, message.dialect());
            return body;
        });
    }

    /** The packed body of {@code message} with field 64 from {@code mac} over its MAB (e.g. an SM4 terminal's MAC). */
    public static Future<byte[]> seal(PosMessage message, java.util.function.Function<byte[], Future<byte[]>> mac) {
        message.set(64, PLACEHOLDER);
        byte[] body = message.pack();
        byte[] mab = MacBlock.of(body, message.dialect());
        return mac.apply(mab).map(m -> {
            MacBlock.writeMac(body, m, message.dialect());
            return body;
        });
    }

    /** The upstream MAC: UnionPay ECB under the ZAK. */
    public static Future<byte[]> sealWithZak(Hsm hsm, LmkKey zak, PosMessage message) {
        return seal(hsm, KeyType.ZAK, zak, false, message);
    }

    /** True when a packed upstream body carries the right ZAK MAC. */
    public static Future<Boolean> verifyWithZak(Hsm hsm, LmkKey zak, byte[] body) {
        return hsm.verifyUnionPayMac(KeyType.ZAK, zak, MacBlock.of(body), MacBlock.mac(body));
    }

    /**
     * {@code reply} when it carries the right ZAK MAC; a failure naming its MTI otherwise. The
     * store-and-forward queues take a message off only on a genuine answer.
     */
    public static Future<PosMessage> requireZakMac(Hsm hsm, LmkKey zak, PosMessage reply) {
        return verifyWithZak(hsm, zak, reply.pack()).compose(ok -> ok
                ? Future.succeededFuture(reply)
                : Future.failedFuture(new IllegalStateException(reply.mti() + " with a bad MAC")));
    }

    /** A forwarding failure as stored on the queued row: its message, at most 64 characters. */
    static String failureText(Throwable e) {
        String s = e.getMessage();
        if (s == null) return "error";
        return s.length() > 64 ? s.substring(0, 64) : s;
    }
}
