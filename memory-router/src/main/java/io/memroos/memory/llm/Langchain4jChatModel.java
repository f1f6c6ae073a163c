package io.memroos.memory.llm;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.memroos.memory.domain.ChatModel;

/** The domain's {@link ChatModel} over a langchain4j chat model: one system and one user message, text back. */
final class Langchain4jChatModel implements ChatModel {

    private final dev.langchain4j.model.chat.ChatModel model;
    private final ModelEndpoint endpoint;

    Langchain4jChatModel(dev.langchain4j.model.chat.ChatModel model, ModelEndpoint endpoint) {
        this.model = model;
        this.endpoint = endpoint;
    }

    @Override
    public String id() {
        return endpoint.model();
    }

    @Override
    public String complete(String system, String user) {
        ChatResponse response;
        try {
            response = model.chat(SystemMessage.from(system), UserMessage.from(user));
        } catch (RuntimeException failure) {
            throw ModelClients.failed(endpoint, failure);
        }
        AiMessage answer = response == null ? null : response.aiMessage();
        if (answer == null || answer.text() == null) {
            throw new IllegalStateException("model endpoint answered without content");
        }
        return answer.text();
    }
}
