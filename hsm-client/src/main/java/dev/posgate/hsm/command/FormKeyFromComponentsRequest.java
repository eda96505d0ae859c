package dev.posgate.hsm.command;

import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * ZW (extension) form a key from 2 or 3 clear components: the key ceremony. payShield does this
 * at the console (FK), not as a host command. Disabled (error 68) unless the simulator allows
 * clear components.
 *
 * <pre>
 * ZW keyType(3H) schemeLMK(1A) componentCount(1N: 2|3) component(16H|32H|48H) x count
 * ZX error(2) key(1A+nH) kcv(6H)
 * </pre>
 * Each component must have odd parity (error 10); the XOR is parity-adjusted to odd.
 * Scheme {@code P} (issue 17): an SM4 key from 32H components, their XOR as is (SM4 keys have no
 * parity bits), answered {@code P}+32H under the LMK with the 6H SM4 check value.
 */
public record FormKeyFromComponentsRequest(KeyType keyType, KeyScheme lmkScheme, List<byte[]> components)
        implements HsmRequest<KeyUnderLmkReply> {

    public FormKeyFromComponentsRequest {
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(lmkScheme, "lmkScheme");
        Objects.requireNonNull(components, "components");
        if (!lmkScheme.isLmkScheme()) {
            throw new IllegalArgumentException("not an LMK scheme: " + lmkScheme);
        }
        if (components.size() < 2 || components.size() > 3) {
            throw new IllegalArgumentException("2 or 3 components");
        }
        List<byte[]> copy = new ArrayList<>();
        for (byte[] c : components) {
            if (c.length != lmkScheme.keyLength()) {
                throw new IllegalArgumentException("component length must be " + lmkScheme.keyLength());
            }
            copy.add(c.clone());
        }
        components = List.copyOf(copy);
    }

    @Override
    public List<byte[]> components() {
        List<byte[]> out = new ArrayList<>();
        for (byte[] c : components) {
            out.add(c.clone());
        }
        return out;
    }

    @Override
    public String commandCode() {
        return "ZW";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.ascii(keyType.code()).ch(lmkScheme.tag()).decimal(components.size(), 1);
        for (byte[] c : components) {
            w.hex(c);
        }
    }

    public static FormKeyFromComponentsRequest read(FieldReader r) {
        KeyType type = Fields.keyType(r, "04");
        KeyScheme scheme = r.scheme("key scheme (LMK)");
        if (!scheme.isLmkScheme()) {
            throw new FieldException("26", "not an LMK key scheme: " + scheme);
        }
        int n = r.decimal(1, "number of components");
        if (n < 2 || n > 3) {
            throw new FieldException("15", "2 or 3 components");
        }
        List<byte[]> comps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            comps.add(r.hex(scheme.keyLength() * 2, "component " + (i + 1)));
        }
        r.expectEnd();
        return new FormKeyFromComponentsRequest(type, scheme, comps);
    }

    @Override
    public KeyUnderLmkReply readReply(FieldReader r) {
        return lmkScheme == KeyScheme.P ? KeyUnderLmkReply.readSm4(r, 3) : KeyUnderLmkReply.read(r, 3);
    }

    @Override
    public String toString() {
        return "FormKeyFromComponentsRequest[" + keyType + ", " + lmkScheme + ", " + components.size() + " components]";
    }
}
