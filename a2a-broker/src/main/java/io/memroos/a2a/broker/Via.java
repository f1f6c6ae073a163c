package io.memroos.a2a.broker;

/**
 * How a request reached the broker, for the audit: the A2A binding ({@code JSONRPC} or {@code HTTP+JSON}) and the
 * protocol version the caller spoke ({@code 1.0} or {@code 0.3}).
 */
public record Via(String binding, String protocolVersion) {

    public static final Via UNKNOWN = new Via(null, null);
}
