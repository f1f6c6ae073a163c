package io.memroos.memory.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Every setting of the memory router ({@code memroos.memory.*}); see docs/memory-router.md. */
@ConfigMapping(prefix = "memroos.memory")
public interface MemoryConfig {

    Embedding embedding();

    Index index();

    Limits limits();

    RecallSettings recall();

    Proactive proactive();

    Jobs jobs();

    Llm llm();

    Governance governance();

    Evals evals();

    interface Embedding {
        /**
         * embedded (the in-jar model, no network), openai (any OpenAI-compatible /embeddings endpoint) or ollama
         * (/api/embed). A remote provider needs base-url, model and dimension.
         */
        @WithDefault("embedded")
        String provider();

        Optional<String> baseUrl();

        Optional<String> model();

        Optional<String> apiKey();

        /** The dimension of the remote model's vectors, recorded with the index and checked on every answer. */
        Optional<Integer> dimension();

        @WithDefault("30s")
        Duration timeout();

        /** Threads of the embedding pool (ONNX inference). */
        @WithDefault("2")
        int threads();

        /** Prepended to queries only (BGE wants "Represent this sentence for searching relevant passages: "). */
        @WithDefault("none")
        String queryPrefix();

        @WithDefault("4096")
        int queryCacheSize();
    }

    interface Index {
        /** Where the Lucene index lives, relative to the data directory unless absolute. */
        @WithDefault("memory-index")
        String directory();

        /** How often the index is made durable (it is rebuilt from the records past its last commit). */
        @WithDefault("1s")
        Duration commitEvery();
    }

    interface Limits {
        @WithDefault("20")
        int syncMaxItems();

        @WithDefault("8000")
        int syncMaxChars();

        @WithDefault("2000")
        int maxItems();

        @WithDefault("32768")
        int maxContentChars();

        @WithDefault("200")
        int maxPageSize();

        @WithDefault("32")
        int maxMetadataKeys();
    }

    interface RecallSettings {
        /** weighted (normalised scores) or rrf (weighted reciprocal rank). */
        @WithDefault("weighted")
        String fusion();

        @WithDefault("1.0")
        double vector();

        @WithDefault("0.25")
        double keyword();

        @WithDefault("0.3")
        double graph();

        @WithDefault("0.05")
        double recency();

        @WithDefault("0.3")
        double neighbours();

        @WithDefault("60")
        int rrfK();

        @WithDefault("30d")
        Duration halfLife();

        @WithDefault("50")
        int candidates();
    }

    interface Proactive {
        @WithDefault("true")
        boolean enabled();

        @WithDefault("5")
        int limit();

        /** Cosine similarity a memory must reach to be surfaced unasked. */
        @WithDefault("0.45")
        double minSimilarity();

        /** Per-agent overrides: memroos.memory.proactive.agents."agt_x".limit=3 */
        Map<String, AgentPolicy> agents();
    }

    interface AgentPolicy {
        Optional<Boolean> enabled();

        Optional<Integer> limit();

        Optional<Double> minSimilarity();
    }

    interface Jobs {
        @WithDefault("1")
        int threads();

        @WithDefault("100")
        int queue();
    }

    interface Llm {
        /** none (deterministic pipeline), openai (any OpenAI-compatible endpoint) or ollama. */
        @WithDefault("none")
        String provider();

        Optional<String> baseUrl();

        Optional<String> model();

        Optional<String> apiKey();

        @WithDefault("60s")
        Duration timeout();
    }

    interface Governance {
        /** Where receipts go (POST {url}/internal/events); unset = kept in the outbox only. */
        Optional<String> url();

        /** The internal private key that signs service:memory-router tokens. */
        String signingKey();
    }

    interface Evals {
        @WithDefault("5000")
        int maxDocuments();

        @WithDefault("1000")
        int maxQueries();
    }
}
