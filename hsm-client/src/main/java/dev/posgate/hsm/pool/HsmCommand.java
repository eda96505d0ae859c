package dev.posgate.hsm.pool;

/** A host command on its way through the pool: its payload and its 2-char code (the metric tag). */
record HsmCommand(byte[] payload, String code) {
    static HsmCommand of(byte[] payload) {
        return new HsmCommand(payload, HsmPool.commandTag(payload));
    }
}
