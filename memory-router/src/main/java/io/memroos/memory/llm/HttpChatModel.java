package io.memroos.memory.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memroos.memory.domain.ChatModel;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A chat model over HTTP: an OpenAI-compatible endpoint ({@code POST {base}/chat/completions} with
 * {@code response_format: json_object}) or Ollama ({@code POST {base}/api/chat} with {@code format: json}).
 * The API key is sent as a bearer token and never logged.
 */
public final class HttpChatModel implements ChatModel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean ollama;
    private final URI endpoint;
    private final String model;
    private final String apiKey;
    private final Duration timeout;
    private final HttpClient http;

    public HttpChatModel(String provider, String baseUrl, String model, String apiKey, Duration timeout) {
        this.ollama = "ollama".equals(provider);
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.endpoint = URI.create(ollama ? base + "/api/chat" : base + "/chat/completions");
        this.model = model;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public String id() {
        return model;
    }

    @Override
    public String complete(String system, String user) {
        ObjectNode body = JSON.createObjectNode().put("model", model);
        var messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", user);
        if (ollama) {
            body.put("format", "json").put("stream", false);
        } else {
            body.putObject("response_format").put("type", "json_object");
            body.put("temperature", 0);
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (apiKey != null && !apiKey.isBlank()) {
            req.header("Authorization", "Bearer " + apiKey);
        }
        try {
            HttpResponse<String> res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() / 100 != 2) {
                throw new IllegalStateException("model endpoint answered " + res.statusCode());
            }
            JsonNode root = JSON.readTree(res.body());
            JsonNode content = ollama ? root.path("message").path("content")
                    : root.path("choices").path(0).path("message").path("content");
            if (!content.isTextual()) {
                throw new IllegalStateException("model endpoint answered without content");
            }
            return content.asText();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("model endpoint unreachable: " + e.getMessage(), e);
        }
    }
}
