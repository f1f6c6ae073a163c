package io.memroos.memory.domain;

/** A language model that answers a prompt with text (expected to be JSON here). */
public interface ChatModel {

    /** The model id shown in receipts and in the pipeline name. */
    String id();

    /** The model's answer to a system and a user message; throws on transport failure. */
    String complete(String system, String user);
}
