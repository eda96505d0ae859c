package dev.posgate.hsm.sim;

import dev.posgate.hsm.command.HsmReply;

/** A command cannot be executed: the simulator answers with {@link #errorCode()}. */
class HsmCommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String errorCode;

    HsmCommandException(String errorCode, String message) {
        super(message, null, false, false);
        this.errorCode = errorCode;
    }

    String errorCode() {
        return errorCode;
    }

    /**
     * The result a payShield still returns with this code as a warning (A6 {@code 01}: the imported
     * key's parity), or null: the payshield profile answers it with the fields, the posgate profile
     * with the bare error.
     */
    HsmReply warnedReply() {
        return null;
    }

    /** An error that payShield reports as a warning, the result still returned (A6 {@code 01}). */
    static final class Warning extends HsmCommandException {
        private static final long serialVersionUID = 1L;
        private final transient HsmReply reply;

        Warning(String errorCode, String message, HsmReply reply) {
            super(errorCode, message);
            this.reply = reply;
        }

        @Override
        HsmReply warnedReply() {
            return reply;
        }
    }
}
