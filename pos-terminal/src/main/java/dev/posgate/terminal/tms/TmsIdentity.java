package dev.posgate.terminal.tms;

/** What the terminal says about itself in H1, and where its DMK sits in the PIN pad. */
public record TmsIdentity(String vendor, String model, String serial, int dmkIndex) {
    /** The TMS protocol version this terminal speaks (DF05). */
    public static final int PROTOCOL_VERSION = 1;
}
