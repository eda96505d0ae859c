package dev.posgate.gateway.platform.db;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A registration request, validated before it reaches the database. */
public record NewTerminal(
        String tid,
        String mid,
        String sn,
        String snPinpad,
        String vendor,
        String model,
        Terminal.KeyScheme keyScheme,
        Terminal.MacAlgorithm macAlgorithm,
        Terminal.MakLength makLength,
        Terminal.KeyAlgorithm keyAlgorithm) {

    /** A TDES terminal. */
    public NewTerminal(String tid, String mid, String sn, String snPinpad, String vendor, String model,
            Terminal.KeyScheme keyScheme, Terminal.MacAlgorithm macAlgorithm, Terminal.MakLength makLength) {
        this(tid, mid, sn, snPinpad, vendor, model, keyScheme, macAlgorithm, makLength, Terminal.KeyAlgorithm.TDES);
    }

    /** With the default profile (double-length MAK). */
    public NewTerminal(String tid, String mid, String sn, String snPinpad, String vendor, String model,
            Terminal.KeyScheme keyScheme, Terminal.MacAlgorithm macAlgorithm) {
        this(tid, mid, sn, snPinpad, vendor, model, keyScheme, macAlgorithm, Terminal.MakLength.DOUBLE);
    }

    private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7E]+");

    /** The problems with this request, empty when it can be registered. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        fixed(p, "tid", tid, 8);
        fixed(p, "mid", mid, 15);
        variable(p, "sn", sn, 32, true);
        variable(p, "snPinpad", snPinpad, 32, false);
        variable(p, "vendor", vendor, 16, true);
        variable(p, "model", model, 16, true);
        if (keyScheme == null) p.add("keyScheme must be TMK or PSAM");
        if (macAlgorithm == null) p.add("macAlgorithm must be ECB or X919");
        if (makLength == null) p.add("makLength must be DOUBLE or SINGLE");
        if (keyAlgorithm == null) p.add("keyAlgorithm must be TDES or SM4");
        else if (keyAlgorithm == Terminal.KeyAlgorithm.SM4 && keyScheme == Terminal.KeyScheme.PSAM) {
            p.add("keyAlgorithm SM4 needs keyScheme TMK (no SM4 PSAM)");
        }
        return p;
    }

    private static void fixed(List<String> p, String name, String v, int len) {
        if (v == null || v.length() != len || !PRINTABLE.matcher(v).matches()) {
            p.add(name + " must be " + len + " printable ASCII characters");
        }
    }

    private static void variable(List<String> p, String name, String v, int max, boolean required) {
        if (v == null || v.isEmpty()) {
            if (required) p.add(name + " is required");
            return;
        }
        if (v.length() > max || !PRINTABLE.matcher(v).matches()) {
            p.add(name + " must be 1.." + max + " printable ASCII characters");
        }
    }
}
