package dev.posgate.terminal.kms;

/** The terminal's tamper and environment sensors. */
@FunctionalInterface
public interface Sensors {
    SensorReadings read();
}
