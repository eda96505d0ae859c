package dev.posgate.protocol.tms.download;

import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.protocol.tms.handshake.Texts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A DF31 package entry: kind (1 application, 2 parameters, 3 data file), name, version, size and
 * SHA-256. In a D1 request the terminal may leave out size and hash (it reports what it runs).
 */
public record PackageEntry(int kind, String name, String version, long size, byte[] sha256) {
    public static final int APPLICATION = 1;
    public static final int PARAMETERS = 2;
    public static final int DATA_FILE = 3;

    public PackageEntry {
        if (kind < APPLICATION || kind > DATA_FILE) throw new IllegalArgumentException("kind must be 1..3");
        if (size < 0 || size > 0xFFFF_FFFFL) throw new IllegalArgumentException("size out of range");
        sha256 = sha256 == null ? null : sha256.clone();
    }

    @Override
    public byte[] sha256() {
        return sha256 == null ? null : sha256.clone();
    }

    public String sha256Hex() {
        return sha256 == null ? null : HexFormat.of().formatHex(sha256);
    }

    public Tlv toTlv() {
        List<Tlv> c = new ArrayList<>(List.of(
                Tlv.ofByte(Tags.PACKAGE_KIND, kind),
                Tlv.ofAscii(Tags.PACKAGE_NAME, name),
                Tlv.ofAscii(Tags.PACKAGE_VERSION, version),
                Tlv.ofUnsigned(Tags.PACKAGE_SIZE, size, 4)));
        if (sha256 != null) c.add(Tlv.of(Tags.PACKAGE_SHA256, sha256));
        return Tlv.constructed(Tags.PACKAGE_ENTRY, c);
    }

    public static PackageEntry from(Tlv t) {
        Tlv size = t.find(Tags.PACKAGE_SIZE);
        Tlv hash = t.find(Tags.PACKAGE_SHA256);
        return new PackageEntry(
                t.require(Tags.PACKAGE_KIND).asByte(),
                Texts.ans(t.require(Tags.PACKAGE_NAME), 32),
                Texts.ans(t.require(Tags.PACKAGE_VERSION), 16),
                size == null ? 0 : size.asUnsigned(4),
                hash == null ? null : hash.valueOfLength(32));
    }

    /** DF30 holding the entries. */
    public static Tlv list(List<PackageEntry> entries) {
        List<Tlv> c = new ArrayList<>();
        for (PackageEntry e : entries) c.add(e.toTlv());
        return Tlv.constructed(Tags.PACKAGE_LIST, c);
    }

    /** The entries of a DF30. */
    public static List<PackageEntry> fromList(Tlv df30) {
        List<PackageEntry> out = new ArrayList<>();
        for (Tlv t : df30.findAll(Tags.PACKAGE_ENTRY)) out.add(from(t));
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PackageEntry p && p.kind == kind && p.name.equals(name) && p.version.equals(version)
                && p.size == size && Arrays.equals(p.sha256, sha256);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + version.hashCode();
    }
}
