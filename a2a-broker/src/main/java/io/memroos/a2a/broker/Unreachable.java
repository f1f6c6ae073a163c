package io.memroos.a2a.broker;

/** The agent could not be reached (connection refused, timeout, gateway errors): try again later. */
final class Unreachable extends RuntimeException {
    Unreachable(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
