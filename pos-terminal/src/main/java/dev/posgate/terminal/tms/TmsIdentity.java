package dev.posgate.terminal.tms;

/** What the terminal says about itself in H1, and where its DMK sits in the PIN pad. */
public record TmsIdentity(String vendor, String model, String serial, int dmkIndex) {
    /**
     * The highest TMS protocol version this terminal speaks (DF05): 2, i.e. version 1 (the DWK as
     * MAC and data key, work-key modes 01/02) and version 2 (role-separated session keys under the
     * DWK, mode 03; docs/tms.md "Session keys"). The TMS picks the mode in H1's DF15.
     */
    public static final int PROTOCOL_VERSION = 2;
}
