package io.memroos.memory.llm;

import java.time.Duration;
import java.util.Objects;

/**
 * Where a model is served: {@code openai} (any OpenAI-compatible endpoint, {@code baseUrl} ending before
 * {@code /chat/completions} and {@code /embeddings}, e.g. {@code http://host:8000/v1}) or {@code ollama}
 * ({@code baseUrl} before {@code /api/chat} and {@code /api/embed}). The timeout is in whole seconds, rounded up
 * (the OpenAI client's REST client counts seconds). The API key is optional and never shown: {@link #toString()}
 * leaves it out.
 */
public record ModelEndpoint(String provider, String baseUrl, String model, String apiKey, Duration timeout) {

    public static final String OPENAI = "openai";
    public static final String OLLAMA = "ollama";

    public ModelEndpoint {
        if (!OPENAI.equals(provider) && !OLLAMA.equals(provider)) {
            throw new IllegalArgumentException("provider must be openai or ollama, not " + provider);
        }
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("a base URL is required with provider " + provider);
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("a model name is required with provider " + provider);
        }
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        Objects.requireNonNull(timeout, "timeout");
        // the OpenAI client's REST client counts whole seconds (and reads 0 as no timeout at all): round up
        long seconds = Math.max(1, timeout.toSeconds() + (timeout.toNanosPart() > 0 ? 1 : 0));
        timeout = Duration.ofSeconds(seconds);
    }

    public boolean ollama() {
        return OLLAMA.equals(provider);
    }

    @Override
    public String toString() {
        return provider + " " + model + " at " + baseUrl + (apiKey == null ? "" : " (with an API key)");
    }
}
