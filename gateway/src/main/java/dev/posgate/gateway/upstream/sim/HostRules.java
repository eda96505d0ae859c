package dev.posgate.gateway.upstream.sim;

import dev.posgate.gateway.routing.ResultCode;
import java.util.Map;

/**
 * The host simulator's approval rules (docs/posp.md): every card's PIN is {@code defaultPin}
 * unless {@code pins} says otherwise; a purchase of 0 is {@code 13}, above {@code limit} is
 * {@code 51}; a purchase whose amount ends in {@code 999} (minor units) is never answered, so
 * tests and demos can provoke an upstream timeout at will.
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
        if (amount <= 0) return ResultCode.INVALID_AMOUNT.code();
        if (amount > limit) return ResultCode.INSUFFICIENT_FUNDS.code();
        return ResultCode.APPROVED.code();
    }
}
