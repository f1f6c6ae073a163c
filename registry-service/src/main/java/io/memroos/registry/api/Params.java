package io.memroos.registry.api;

import io.memroos.registry.domain.RegistryException;

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
            throw RegistryException.invalid(name, "must be an integer");
        }
    }

    static boolean bool(String name, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw RegistryException.invalid(name, "must be true or false");
        };
    }
}
