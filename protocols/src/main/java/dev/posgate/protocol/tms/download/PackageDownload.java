package dev.posgate.protocol.tms.download;

import dev.posgate.crypto.Digests;
import dev.posgate.crypto.Macs;
import java.io.ByteArrayOutputStream;

/**
 * The terminal's progress on one package: bytes received so far (kept across connections, so a
 * dropped download resumes at {@link #offset()} after a new handshake) and the final SHA-256 check.
 */
public final class PackageDownload {
    private final PackageEntry entry;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    public PackageDownload(PackageEntry entry) {
        this.entry = entry;
    }

    public PackageEntry entry() {
        return entry;
    }

    public long offset() {
        return received.size();
    }

    public boolean complete() {
        return received.size() >= entry.size();
    }

    /** The next D2 request, or null when every byte is here. */
    public FrameRequest next(int frameLength) {
        if (complete()) return null;
        int len = (int) Math.min(frameLength, entry.size() - offset());
        return new FrameRequest(entry.name(), entry.version(), offset(), len);
    }

    /** Appends a frame; it must be for the current offset and not run past the announced size. */
    public void accept(FrameReply r) {
        if (r.offset() != offset()) throw new IllegalStateException("frame for offset " + r.offset() + ", expected " + offset());
        if (r.data().length == 0 || offset() + r.data().length > entry.size()) {
            throw new IllegalStateException("frame of " + r.data().length + " bytes at " + offset() + " does not fit the package");
        }
        received.writeBytes(r.data());
    }

    /** True when complete and the bytes hash to the announced SHA-256. */
    public boolean verified() {
        return complete() && entry.sha256() != null && Macs.verify(entry.sha256(), Digests.sha256(received.toByteArray()));
    }

    public byte[] bytes() {
        return received.toByteArray();
    }
}
