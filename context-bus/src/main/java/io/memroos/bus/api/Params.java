package io.memroos.bus.api;

import io.memroos.bus.domain.BusException;

/** Query parameters parsed by hand, so a bad value is a 400 naming the parameter. */
final class Params {

    private Params() {
    }

    static Integer integer(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw BusException.invalid(name, "must be an integer");
        }
    }

    static boolean bool(String name, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw BusException.invalid(name, "must be true or false");
        };
    }
}
