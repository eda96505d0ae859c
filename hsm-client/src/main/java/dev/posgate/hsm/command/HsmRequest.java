package dev.posgate.hsm.command;

/**
 * One host command: how to write it and how to read its successful reply.
 *
 * <p>A request is the 2-character command code followed by {@link #writeFields}; its reply is
 * the reply code, the 2-character error code and, for error {@code 00}, the fields read by
 * {@link #readReply}. The simulator reads requests with each class's static {@code read} method
 * and writes replies with {@link HsmReply#writeFields}, so both ends share one codec.
 *
 * @param <R> the reply type
 */
public interface HsmRequest<R> {

    /** The 2-character command code. */
    String commandCode();

    /** Writes the fields after the command code. */
    void writeFields(FieldWriter w);

    /** Reads the fields of a successful reply (after the error code) and checks nothing is left. */
    R readReply(FieldReader r);

    /** The complete request payload: command code + fields. */
    default byte[] encode() {
        FieldWriter w = new FieldWriter(128);
        w.ascii(commandCode());
        writeFields(w);
        return w.toBytes();
    }
}
