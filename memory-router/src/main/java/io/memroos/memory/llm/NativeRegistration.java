package io.memroos.memory.llm;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * For a native image: langchain4j-ollama reads and writes its (package-private) wire records with Jackson, by
 * reflection, and no Quarkus extension registers them (the OpenAI client's classes are registered by
 * quarkus-langchain4j-openai). The JDK HTTP client it uses is found through {@code ServiceLoader}, which
 * native-image keeps on its own.
 */
@RegisterForReflection(classNames = {
        "dev.langchain4j.model.ollama.OllamaChatRequest",
        "dev.langchain4j.model.ollama.OllamaChatResponse",
        "dev.langchain4j.model.ollama.Message",
        "dev.langchain4j.model.ollama.Role",
        "dev.langchain4j.model.ollama.Options",
        "dev.langchain4j.model.ollama.Tool",
        "dev.langchain4j.model.ollama.ToolCall",
        "dev.langchain4j.model.ollama.Function",
        "dev.langchain4j.model.ollama.FunctionCall",
        "dev.langchain4j.model.ollama.Parameters",
        "dev.langchain4j.model.ollama.EmbeddingRequest",
        "dev.langchain4j.model.ollama.EmbeddingResponse",
        "dev.langchain4j.model.ollama.FormatSerializer",
        "dev.langchain4j.model.ollama.OllamaDateDeserializer"})
final class NativeRegistration {

    private NativeRegistration() {
    }
}
