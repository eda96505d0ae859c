package dev.posgate.hsm.command;

import dev.posgate.hsm.MacParams;

/**
 * The fields of an M6 (generate a MAC), whichever form the key takes: a variant-LMK key
 * ({@link GenerateMacRequest}) or a key block ({@code KeyBlockMacRequest}). M8 is these fields
 * followed by the MAC, in {@link VerifyMacRequest}.
 */
public interface MacFields extends HsmRequest<MacReply> {
    MacParams params();
}
