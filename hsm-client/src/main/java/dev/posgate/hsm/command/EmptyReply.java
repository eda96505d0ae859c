package dev.posgate.hsm.command;

/** A reply with no fields after the error code (verifications). */
public enum EmptyReply implements HsmReply {
    INSTANCE;

    @Override
    public void writeFields(FieldWriter w) {
    }

    public static EmptyReply read(FieldReader r) {
        r.expectEnd();
        return INSTANCE;
    }
}
