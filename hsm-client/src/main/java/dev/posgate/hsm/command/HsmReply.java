package dev.posgate.hsm.command;

/** The fields of a successful reply (after the reply code and error code {@code 00}). */
public interface HsmReply {
    void writeFields(FieldWriter w);
}
