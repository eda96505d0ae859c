package dev.posgate.gateway.tms.store;

/** What a package repository knows of the terminal asking: its identity as registered. */
public record TerminalProfile(String serial, String vendor, String model) {}
