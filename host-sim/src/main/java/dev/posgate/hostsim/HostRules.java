package dev.posgate.hostsim;

import java.util.Map;

/**
 * The host simulator's approval rules (docs/posp.md): every card's PIN is {@code defaultPin}
 * unless {@code pins} says otherwise; a purchase of 0 is {@code 13}, above {@code limit} is
 * {@code 51}; a purchase whose amount ends in {@code 999} (minor units) is never answered, so
 * tests and demos can provoke an upstream timeout at will. Pre-auths and completions follow the
 * same amount rules (docs/posp.md, "Pre-authorisation").
 */
public record HostRules(String defaultPin, Map<String, String> pins, long limit, boolean pinRequired) {

    public static HostRules defaults() {
        return new HostRules("123456", Map.of(), 10_000_000L, false);
    }

    boolean pinMatches(String pan, String pin) {
        return pins.getOrDefault(pan, defaultPin).equals(pin);
    }

    boolean silent(long amount) {
        return amount % 1000 == 999;
    }

    String purchase(long amount) {
        if (amount <= 0) return "13";
        if (amount > limit) return "51";
        return "00";
    }
}
