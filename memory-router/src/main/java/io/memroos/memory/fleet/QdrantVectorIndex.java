package io.memroos.memory.fleet;

import io.memroos.memory.store.Filter;
import io.memroos.memory.store.Hit;
import io.memroos.memory.store.IndexDoc;
import io.memroos.memory.store.IndexInfo;
import io.memroos.memory.store.Scope;
import io.memroos.memory.store.StoreException;
import io.memroos.memory.store.VectorIndex;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static io.qdrant.client.WithPayloadSelectorFactory.include;

/**
 * Nearest-neighbour search on Qdrant (gRPC, {@code io.qdrant:client}). One collection per embedding model and
 * dimension ({@link QdrantIndexMeta}), cosine distance, keyword payload indexes on the scope fields; scope and
 * filters are translated by {@link QdrantFilters}, ids by {@link QdrantPoints}. Every write waits for Qdrant to
 * apply it (searchable and in its write-ahead log before the call returns); {@link #markApplied} records the
 * store change counter in the collection's meta point.
 */
public final class QdrantVectorIndex implements VectorIndex {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /**
     * Where the vectors live.
     *
     * @param url              the gRPC endpoint, {@code http://host:6334} (or {@code https://} for TLS)
     * @param apiKey           Qdrant's API key, or null (never logged)
     * @param collectionPrefix the prefix of the collection names
     */
    public record Settings(String url, String apiKey, String collectionPrefix) {
        public Settings {
            Objects.requireNonNull(url, "url");
            collectionPrefix = collectionPrefix == null || collectionPrefix.isBlank() ? "memroos" : collectionPrefix;
            if (!collectionPrefix.matches("[A-Za-z0-9_-]{1,60}")) {
                throw new IllegalArgumentException("collection prefix must match [A-Za-z0-9_-]{1,60}");
            }
        }

        @Override
        public String toString() {
            return "QdrantVectorIndex.Settings[" + url + ", prefix " + collectionPrefix
                    + (apiKey == null ? "" : ", api key set") + "]";
        }
    }

    private final QdrantClient client;
    private final String collection;
    private final String model;
    private final int dimension;
    private volatile long appliedSeq;

    private QdrantVectorIndex(QdrantClient client, String collection, String model, int dimension, long appliedSeq) {
        this.client = client;
        this.collection = collection;
        this.model = model;
        this.dimension = dimension;
        this.appliedSeq = appliedSeq;
    }

    /**
     * Connects, then opens this model's collection, creating it (with its payload indexes and meta point) when
     * missing; an existing collection for another model or dimension is refused ({@code INCOMPATIBLE}).
     */
    public static QdrantVectorIndex open(Settings settings, String model, int dimension) {
        URI u = URI.create(settings.url());
        boolean tls = "https".equalsIgnoreCase(u.getScheme());
        int port = u.getPort() > 0 ? u.getPort() : 6334;
        QdrantGrpcClient.Builder grpc = QdrantGrpcClient.newBuilder(u.getHost(), port, tls).withTimeout(TIMEOUT);
        if (settings.apiKey() != null && !settings.apiKey().isBlank()) {
            grpc.withApiKey(settings.apiKey());
        }
        QdrantClient client = new QdrantClient(grpc.build());
        try {
            return open(client, QdrantIndexMeta.collectionName(settings.collectionPrefix(), model, dimension), model,
                    dimension);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    static QdrantVectorIndex open(QdrantClient client, String collection, String model, int dimension) {
        if (dimension < 1) {
            throw StoreException.invalid("dimension", "must be positive");
        }
        if (Boolean.TRUE.equals(await("open", client.collectionExistsAsync(collection)))) {
            Collections.CollectionInfo info = await("open", client.getCollectionInfoAsync(collection));
            Collections.VectorParams params = info.getConfig().getParams().getVectorsConfig().getParams();
            Map<String, Value> meta = metaPayload(client, collection);
            String recordedModel = meta.containsKey("model") ? meta.get("model").getStringValue() : null;
            Long recordedDim = meta.containsKey("dimension") ? meta.get("dimension").getIntegerValue() : null;
            QdrantIndexMeta.check(collection, model, dimension, new QdrantIndexMeta.Found(params.getSize(),
                    params.getDistance().name(), recordedModel, recordedDim));
            long applied = meta.containsKey("appliedSeq") ? meta.get("appliedSeq").getIntegerValue() : 0;
            return new QdrantVectorIndex(client, collection, model, dimension, applied);
        }
        await("create", client.createCollectionAsync(collection, Collections.VectorParams.newBuilder()
                .setSize(dimension).setDistance(Collections.Distance.Cosine).build()));
        for (String key : List.of(QdrantPoints.AGENT, QdrantPoints.USER, QdrantPoints.SESSION)) {
            await("create", client.createPayloadIndexAsync(collection, key, Collections.PayloadSchemaType.Keyword,
                    null, true, null, TIMEOUT));
        }
        await("create", client.createPayloadIndexAsync(collection, QdrantPoints.CREATED,
                Collections.PayloadSchemaType.Integer, null, true, null, TIMEOUT));
        float[] unit = new float[dimension];
        unit[0] = 1f;
        await("create", client.upsertAsync(Points.UpsertPoints.newBuilder().setCollectionName(collection).setWait(true)
                .addPoints(Points.PointStruct.newBuilder().setId(id(QdrantPoints.META_POINT)).setVectors(vectors(unit))
                        .putAllPayload(Map.of("memroosIndex", value(true), "model", value(model),
                                "dimension", value((long) dimension), "appliedSeq", value(0L))))
                .build()));
        return new QdrantVectorIndex(client, collection, model, dimension, 0);
    }

    private static Map<String, Value> metaPayload(QdrantClient client, String collection) {
        List<Points.RetrievedPoint> got = await("open", client.retrieveAsync(collection,
                List.of(id(QdrantPoints.META_POINT)), include(List.of("memroosIndex", "model", "dimension", "appliedSeq")),
                io.qdrant.client.WithVectorsSelectorFactory.enable(false), null));
        return got.isEmpty() ? Map.of() : got.get(0).getPayloadMap();
    }

    private static <T> T await(String what, java.util.concurrent.Future<T> f) {
        try {
            return f.get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StoreException.failed("qdrant " + what, e);
        } catch (ExecutionException e) {
            throw StoreException.failed("qdrant " + what, e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException e) {
            throw StoreException.failed("qdrant " + what, e);
        }
    }

    public String collection() {
        return collection;
    }

    private void checkDimension(float[] v, String what) {
        if (v == null || v.length != dimension) {
            throw new StoreException(StoreException.Kind.INCOMPATIBLE, null, what + " has dimension "
                    + (v == null ? 0 : v.length) + "; the Qdrant collection " + collection + " holds dimension "
                    + dimension + " (" + model + ")");
        }
    }

    @Override
    public void upsert(List<IndexDoc> docs) {
        if (docs.isEmpty()) {
            return;
        }
        List<Points.PointStruct> points = new ArrayList<>(docs.size());
        for (IndexDoc d : docs) {
            checkDimension(d.embedding(), "memory " + d.id());
            points.add(Points.PointStruct.newBuilder().setId(QdrantPoints.grpcId(d.id())).setVectors(vectors(d.embedding()))
                    .putAllPayload(QdrantPoints.payload(d)).build());
        }
        for (int from = 0; from < points.size(); from += 256) {
            await("upsert", client.upsertAsync(Points.UpsertPoints.newBuilder().setCollectionName(collection)
                    .setWait(true).addAllPoints(points.subList(from, Math.min(points.size(), from + 256))).build()));
        }
    }

    @Override
    public void delete(Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        List<Points.PointId> pids = ids.stream().map(QdrantPoints::grpcId).toList();
        await("delete", client.deleteAsync(Points.DeletePoints.newBuilder().setCollectionName(collection).setWait(true)
                .setPoints(Points.PointsSelector.newBuilder().setPoints(Points.PointsIdsList.newBuilder().addAllIds(pids)))
                .build()));
    }

    @Override
    public void deleteAgent(String agentId) {
        await("delete", client.deleteAsync(Points.DeletePoints.newBuilder().setCollectionName(collection).setWait(true)
                .setPoints(Points.PointsSelector.newBuilder().setFilter(QdrantFilters.agent(agentId))).build()));
    }

    @Override
    public List<Hit> nearest(float[] query, int k, Scope scope, Filter filter) {
        checkDimension(query, "query vector");
        if (k < 1) {
            return List.of();
        }
        List<Float> q = new ArrayList<>(query.length);
        for (float f : query) {
            q.add(f);
        }
        List<Points.ScoredPoint> found = await("search", client.searchAsync(Points.SearchPoints.newBuilder()
                .setCollectionName(collection).addAllVector(q).setLimit(k).setFilter(QdrantFilters.of(scope, filter))
                .setWithPayload(include(List.of(QdrantPoints.ID))).build()));
        List<Hit> hits = new ArrayList<>(found.size());
        for (Points.ScoredPoint p : found) {
            double cos = Math.max(-1.0, Math.min(1.0, p.getScore()));
            hits.add(new Hit(p.getPayloadMap().get(QdrantPoints.ID).getStringValue(), hits.size() + 1, (1.0 + cos) / 2.0));
        }
        return hits;
    }

    @Override
    public void markApplied(long seq) {
        await("mark applied", client.setPayloadAsync(collection, Map.of("appliedSeq", value(seq)),
                id(QdrantPoints.META_POINT), true, null, TIMEOUT));
        appliedSeq = seq;
    }

    @Override
    public IndexInfo info() {
        // every point but the meta point (which has no agentId)
        long docs = await("count", client.countAsync(collection, Points.Filter.newBuilder()
                .addMustNot(io.qdrant.client.ConditionFactory.isEmpty(QdrantPoints.AGENT)).build(), true));
        return new IndexInfo(model, dimension, docs, appliedSeq);
    }

    @Override
    public void close() {
        client.close();
    }
}
