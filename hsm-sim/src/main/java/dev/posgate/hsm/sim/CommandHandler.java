package dev.posgate.hsm.sim;

import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.HsmReply;

/**
 * Executes one command: reads its fields (positioned after the command code) and returns the
 * reply fields. Failures are thrown as {@link HsmCommandException} or
 * {@code dev.posgate.hsm.command.FieldException}, carrying the error code.
 */
@FunctionalInterface
interface CommandHandler {
    HsmReply handle(FieldReader r);
}
