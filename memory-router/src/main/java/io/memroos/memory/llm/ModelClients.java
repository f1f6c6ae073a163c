package io.memroos.memory.llm;

import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import io.memroos.memory.domain.ChatModel;

import java.util.Map;

/**
 * Builds the langchain4j model clients from the router's own configuration. OpenAI-compatible endpoints go
 * through quarkus-langchain4j (its builder factories put langchain4j's OpenAI client on the Quarkus REST client),
 * Ollama through langchain4j-ollama. Requests and responses are never logged (they would carry the API key and
 * the memories); the client does not retry: {@code LlmExtractor} owns the one retry.
 */
public final class ModelClients {

    private ModelClients() {
    }

    /** A chat model answering JSON objects, at temperature 0. */
    public static ChatModel chat(ModelEndpoint e) {
        dev.langchain4j.model.chat.ChatModel model;
        if (e.ollama()) {
            model = OllamaChatModel.builder()
                    .baseUrl(e.baseUrl()).modelName(e.model())
                    .temperature(0.0).responseFormat(ResponseFormat.JSON)
                    .timeout(e.timeout()).maxRetries(0)
                    .customHeaders(authorization(e))
                    .logRequests(false).logResponses(false)
                    .build();
        } else {
            model = OpenAiChatModel.builder()
                    .baseUrl(e.baseUrl()).apiKey(e.apiKey()).modelName(e.model())
                    .temperature(0.0).responseFormat(ResponseFormat.JSON)
                    .timeout(e.timeout()).maxRetries(0)
                    .logRequests(false).logResponses(false)
                    .build();
        }
        return new Langchain4jChatModel(model, e);
    }

    /** An embedding model (OpenAI {@code /embeddings} or Ollama {@code /api/embed}). */
    public static EmbeddingModel embeddings(ModelEndpoint e) {
        EmbeddingModel model;
        if (e.ollama()) {
            model = OllamaEmbeddingModel.builder()
                    .baseUrl(e.baseUrl()).modelName(e.model())
                    .timeout(e.timeout()).maxRetries(0)
                    .customHeaders(authorization(e))
                    .logRequests(false).logResponses(false)
                    .build();
        } else {
            model = OpenAiEmbeddingModel.builder()
                    .baseUrl(e.baseUrl()).apiKey(e.apiKey()).modelName(e.model())
                    .timeout(e.timeout()).maxRetries(0)
                    .logRequests(false).logResponses(false)
                    .build();
        }
        return segments -> {
            try {
                return model.embedAll(segments);
            } catch (RuntimeException failure) {
                throw failed(e, failure);
            }
        };
    }

    /**
     * A failed call as an exception safe to log and to answer with: the endpoint's message (status, timeout, its
     * error body, cut at 300 characters), with the API key blanked should the endpoint echo it; the original
     * exception is not kept as the cause, since its message may carry the key.
     */
    static IllegalStateException failed(ModelEndpoint e, RuntimeException failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        if (e.apiKey() != null) {
            message = message.replace(e.apiKey(), "[api-key]");
        }
        if (message.length() > 300) {
            message = message.substring(0, 300) + "...";
        }
        return new IllegalStateException(message);
    }

    /** Ollama needs no key, but one behind an authenticating proxy does. */
    private static Map<String, String> authorization(ModelEndpoint e) {
        return e.apiKey() == null ? Map.of() : Map.of("Authorization", "Bearer " + e.apiKey());
    }
}
