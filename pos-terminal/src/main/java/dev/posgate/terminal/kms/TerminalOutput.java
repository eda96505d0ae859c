package dev.posgate.terminal.kms;

/** What a terminal hands the operator terminal at the factory: SN, SNpinpad (null if internal), Ctk_Pu. */
public record TerminalOutput(String sn, String snPinpad, byte[] tkBlock) {}
