package io.memroos.bus.domain;

import java.time.Instant;

/**
 * A message handed to its recipient: the claim a receiver acknowledges.
 *
 * @param seq          the monotonic per-recipient sequence number (the SSE event id)
 * @param receipt      names this particular delivery; a newer delivery of the same message gets a new one
 * @param attempts     how many times the message has been delivered to this recipient, this one included
 * @param visibleUntil when the message is delivered again unless acknowledged
 */
public record Delivery(String recipient, long seq, String receipt, int attempts, Instant visibleUntil,
                       Message message) {
}
