package dev.posgate.hsm;

/** NC reply: the LMK check value (16 hex) and the firmware number. */
public record Diagnostics(String lmkCheckValue, String firmware) {
}
