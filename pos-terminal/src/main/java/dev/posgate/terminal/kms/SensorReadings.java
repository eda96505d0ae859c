package dev.posgate.terminal.kms;

/** One reading of the terminal's physical sensors (CN103714633A). */
public record SensorReadings(boolean coverClosed, double supplyVolts, double temperatureCelsius) {}
