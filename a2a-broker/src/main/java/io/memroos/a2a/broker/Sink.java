package io.memroos.a2a.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Where a stream of task events goes (an SSE response). */
public interface Sink {

    /** One event in the 1.0 StreamResponse shape; {@code last} when the stream ends after it. */
    void event(long seq, ObjectNode streamResponse, boolean last);

    /** The stream is over. */
    void end();

    /** Runs {@code r} when the client goes away. */
    void onClose(Runnable r);
}
