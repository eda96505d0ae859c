package dev.posgate.iso8583.pos;

/** Values of the application header's processing-requirement digit set by the gateway in responses. */
public final class ProcessingRequirement {
    /** Nothing to do. */
    public static final int NONE = 0;
    /** Parameters to download. */
    public static final int PARAMETERS = 1;
    /** Sign on again. */
    public static final int SIGN_ON_AGAIN = 3;
    /** TMK download required. */
    public static final int TMK_DOWNLOAD = 4;
    /** TMS software update available. */
    public static final int TMS_UPDATE = 6;

    private ProcessingRequirement() {
    }
}
