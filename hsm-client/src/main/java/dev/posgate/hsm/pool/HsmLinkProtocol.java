package dev.posgate.hsm.pool;

import dev.posgate.link.LinkProtocol;
import dev.posgate.link.LinkProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * payShield-style framing for the link core: {@code LEN(2) | header | command}, where the header is a
 * per-connection counter in base 36 that the HSM echoes before its reply. A reply whose header is
 * not one this pool sends means the stream is corrupt (the connection is recycled); a reply longer
 * than {@code maxReplyFrameBytes} is matched by its header and skipped.
 */
final class HsmLinkProtocol implements LinkProtocol<HsmCommand, byte[]> {
    private final int headerLength;
    private final long idSpace;
    private final int maxReply;

    HsmLinkProtocol(HsmPoolConfig config) {
        this.headerLength = config.headerLength();
        this.idSpace = config.idSpace();
        this.maxReply = config.maxReplyFrameBytes();
    }

    @Override
    public String correlationId(HsmCommand request) {
        return null; // the pool numbers commands per connection
    }

    @Override
    public String sequenceId(long id) {
        String digits = Long.toString(id, 36).toUpperCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder(headerLength);
        for (int i = digits.length(); i < headerLength; i++) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }

    @Override
    public long sequenceSpace() {
        return idSpace;
    }

    @Override
    public byte[] encode(HsmCommand request, String id) {
        byte[] frame = new byte[headerLength + request.payload().length];
        System.arraycopy(id.getBytes(StandardCharsets.US_ASCII), 0, frame, 0, headerLength);
        System.arraycopy(request.payload(), 0, frame, headerLength, request.payload().length);
        return frame;
    }

    @Override
    public Reply<byte[]> decode(byte[] body) {
        if (body.length < headerLength + 2) {
            throw new LinkProtocolException("reply frame of " + body.length + " bytes too short for header and reply code");
        }
        return new Reply<>(header(body), Arrays.copyOfRange(body, headerLength, body.length));
    }

    @Override
    public int maxReplyLength() {
        return maxReply;
    }

    @Override
    public int oversizedPrefix() {
        return headerLength;
    }

    @Override
    public String oversizedId(byte[] prefix) {
        return header(prefix);
    }

    @Override
    public String describe(HsmCommand request) {
        return request.code();
    }

    /** The header, if it is one this pool sends (base-36 digits); we only send those and the HSM echoes them. */
    private String header(byte[] frame) {
        for (int i = 0; i < headerLength; i++) {
            byte b = frame[i];
            if (!((b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z'))) {
                throw new LinkProtocolException("reply header is not one this pool sends (garbage on the connection)");
            }
        }
        return new String(frame, 0, headerLength, StandardCharsets.US_ASCII);
    }
}
