package io.memroos.gateway.ui;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the governance pages show, read from governance's JSON (the consumer keeps its own view). */
public final class GovViews {

    private GovViews() {
    }

    static List<JsonObject> items(JsonObject page) {
        List<JsonObject> out = new ArrayList<>();
        JsonArray items = page.getJsonArray("items");
        if (items != null) {
            for (Object o : items) {
                if (o instanceof JsonObject j) {
                    out.add(j);
                }
            }
        }
        return out;
    }

    static String text(Object v) {
        return v == null ? "" : v.toString();
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** The audit search form, echoed back into the page. */
    public record AuditFilter(String actor, String action, String type, String source, String assetId, String from,
                              String to) {
        Map<String, String> params() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("actor", actor);
            p.put("action", action);
            p.put("type", type);
            p.put("source", source);
            p.put("assetId", assetId);
            p.put("from", from);
            p.put("to", to);
            return p;
        }

        /** The filters as a query string for the next-page link (without the cursor). */
        public String query() {
            StringBuilder out = new StringBuilder();
            params().forEach((k, v) -> {
                if (v != null && !v.isBlank()) {
                    out.append('&').append(k).append('=').append(GovernanceApi.enc(v.trim()));
                }
            });
            return out.toString();
        }

        public boolean any() {
            return params().values().stream().anyMatch(v -> v != null && !v.isBlank());
        }
    }

    public record AuditEvent(long seq, String id, String recordedAt, String source, String type, String actor,
                             String action, String asset, String label, String data, String hash) {
        static AuditEvent from(JsonObject j) {
            JsonObject asset = j.getJsonObject("asset");
            Object data = j.getValue("data");
            return new AuditEvent(j.getLong("seq", 0L), text(j.getString("id")), text(j.getString("recordedAt")),
                    text(j.getString("source")), text(j.getString("type")), text(j.getString("actor")),
                    text(j.getString("action")),
                    asset == null ? "" : text(asset.getString("type")) + "/" + text(asset.getString("id")),
                    text(j.getString("label")),
                    abbreviate(data == null ? "" : (data instanceof JsonObject o ? o.encode() : data.toString()), 160),
                    abbreviate(text(j.getString("hash")), 16));
        }
    }

    public record AuditStatus(long headSeq, long events, String headHash, long checkpointSeq, String checkpointTime,
                              String lastVerify, String keyId) {
        static AuditStatus from(JsonObject j) {
            JsonObject cp = j.getJsonObject("lastCheckpoint");
            return new AuditStatus(j.getLong("headSeq", 0L), j.getLong("events", 0L),
                    abbreviate(text(j.getString("headHash")), 20), cp == null ? 0 : cp.getLong("seq", 0L),
                    cp == null ? "" : text(cp.getString("time")), text(j.getString("lastVerify")),
                    text(j.getString("keyId")));
        }
    }

    public record VerifyResult(boolean ok, long events, long checkpoints, long headSeq, String failure, String seq,
                               String eventId, String reason, String verifiedAt, long millis) {
        static VerifyResult from(JsonObject j) {
            return new VerifyResult(j.getBoolean("ok", false), j.getLong("events", 0L), j.getLong("checkpoints", 0L),
                    j.getLong("headSeq", 0L), text(j.getString("failure")),
                    j.getValue("seq") == null ? "" : j.getValue("seq").toString(), text(j.getString("eventId")),
                    text(j.getString("reason")), text(j.getString("verifiedAt")), j.getLong("millis", 0L));
        }
    }

    public record Policy(String id, String effect, String text) {
        static Policy from(JsonObject j) {
            return new Policy(GovViews.text(j.getString("id")), GovViews.text(j.getString("effect")),
                    GovViews.text(j.getString("text")));
        }
    }

    public record PolicySet(long version, String createdAt, String createdBy, String comment, List<Policy> policies) {
        static PolicySet from(JsonObject j) {
            List<Policy> ps = new ArrayList<>();
            JsonArray arr = j.getJsonArray("policies");
            if (arr != null) {
                for (Object o : arr) {
                    if (o instanceof JsonObject p) {
                        ps.add(Policy.from(p));
                    }
                }
            }
            return new PolicySet(j.getLong("version", 0L), text(j.getString("createdAt")), text(j.getString("createdBy")),
                    text(j.getString("comment")), ps);
        }

        static PolicySet empty() {
            return new PolicySet(0, "", "", "", List.of());
        }

        public Policy find(String id) {
            return policies.stream().filter(p -> p.id().equals(id)).findFirst().orElse(null);
        }
    }

    public record PolicyVersion(long version, String createdAt, String createdBy, String comment, String policies) {
        static PolicyVersion from(JsonObject j) {
            JsonArray ids = j.getJsonArray("policies");
            List<String> names = new ArrayList<>();
            if (ids != null) {
                ids.forEach(o -> names.add(String.valueOf(o)));
            }
            return new PolicyVersion(j.getLong("version", 0L), text(j.getString("createdAt")),
                    text(j.getString("createdBy")), text(j.getString("comment")), String.join(", ", names));
        }
    }

    /** A validation outcome: valid, or the parser's messages. */
    public record Validation(boolean checked, boolean valid, List<String> errors) {
        static Validation none() {
            return new Validation(false, false, List.of());
        }

        static Validation from(JsonObject j) {
            List<String> errors = new ArrayList<>();
            JsonArray arr = j.getJsonArray("errors");
            if (arr != null) {
                for (Object o : arr) {
                    if (o instanceof JsonObject e) {
                        StringBuilder s = new StringBuilder();
                        if (e.getString("policy") != null) {
                            s.append(e.getString("policy")).append(": ");
                        }
                        s.append(text(e.getString("message")));
                        if (e.getValue("line") != null) {
                            s.append(" (line ").append(e.getValue("line"));
                            if (e.getValue("column") != null) {
                                s.append(", column ").append(e.getValue("column"));
                            }
                            s.append(')');
                        }
                        errors.add(s.toString());
                    } else {
                        errors.add(String.valueOf(o));
                    }
                }
            }
            return new Validation(true, j.getBoolean("valid", false), errors);
        }
    }

    /** One tool-attention or model-usage receipt, with the fields that matter for a list. */
    public record Receipt(String id, String kind, String agentId, String taskId, String at, String summary) {
        static Receipt from(JsonObject j) {
            Object rec = j.getValue("record");
            JsonObject r = rec instanceof JsonObject o ? o : new JsonObject();
            String summary;
            if ("tool-attention".equals(j.getString("kind"))) {
                summary = join(r.getValue("tool"), r.getValue("outcome"), ms(r.getValue("durationMs")));
            } else if ("model-usage".equals(j.getString("kind"))) {
                summary = join(r.getValue("model"), tokens(r), ms(r.getValue("latencyMs")),
                        r.getValue("cost") == null ? null : "$" + r.getValue("cost"));
            } else {
                summary = abbreviate(r.encode(), 120);
            }
            return new Receipt(text(j.getString("id")), text(j.getString("kind")), text(j.getString("agentId")),
                    text(j.getString("taskId")), text(j.getString("at")), summary);
        }

        private static String tokens(JsonObject r) {
            Object in = r.getValue("inputTokens");
            Object out = r.getValue("outputTokens");
            return in == null && out == null ? null : text(in) + " in / " + text(out) + " out";
        }

        private static String ms(Object v) {
            return v == null ? null : v + " ms";
        }

        private static String join(Object... parts) {
            StringBuilder s = new StringBuilder();
            for (Object p : parts) {
                if (p != null && !p.toString().isBlank()) {
                    s.append(s.isEmpty() ? "" : " · ").append(p);
                }
            }
            return s.toString();
        }
    }

    /** One bar of the usage chart. */
    public record Bar(String label, String fullLabel, String value, int y, int width, String color) {
    }

    /** A horizontal bar chart drawn as inline SVG by the template. */
    public record Chart(String metric, List<Bar> bars, int width, int height, int labelWidth, List<Legend> legend) {
        public boolean empty() {
            return bars.isEmpty();
        }
    }

    public record Legend(String model, String color) {
    }

    private static final String[] PALETTE = {"#3b6fd4", "#d9822b", "#2f9e6e", "#a34fc2", "#c2414f", "#5f7d8c",
        "#b59b1a", "#1f8fa6"};
    static final int CHART_WIDTH = 900;
    static final int LABEL_WIDTH = 340;
    static final int BAR_HEIGHT = 18;
    static final int BAR_GAP = 6;

    /**
     * Usage per day, agent and model: one bar per aggregate row (day, then agent, then model), its length the
     * chosen metric ({@code tokens}, {@code calls} or {@code cost}), its colour the model's.
     */
    static Chart usageChart(JsonObject aggregate, String metric) {
        List<JsonObject> rows = items(aggregate);
        rows.sort((a, b) -> key(a).compareTo(key(b)));
        double max = 0;
        for (JsonObject r : rows) {
            max = Math.max(max, value(r, metric));
        }
        Map<String, String> colors = new LinkedHashMap<>();
        List<Bar> bars = new ArrayList<>();
        int y = 0;
        int room = CHART_WIDTH - LABEL_WIDTH - 80;
        for (JsonObject r : rows) {
            JsonObject g = r.getJsonObject("group", new JsonObject());
            String model = text(g.getValue("model"));
            String color = colors.computeIfAbsent(model, m -> PALETTE[colors.size() % PALETTE.length]);
            double v = value(r, metric);
            int width = max <= 0 ? 0 : (int) Math.max(v > 0 ? 1 : 0, Math.round(room * v / max));
            String label = join(g.getValue("day"), g.getValue("agent"), g.getValue("model"));
            bars.add(new Bar(abbreviate(label, 52), label, format(v, metric), y, width, color));
            y += BAR_HEIGHT + BAR_GAP;
        }
        List<Legend> legend = new ArrayList<>();
        colors.forEach((m, c) -> legend.add(new Legend(m.isEmpty() ? "(no model)" : m, c)));
        return new Chart(metric, bars, CHART_WIDTH, Math.max(y, BAR_HEIGHT), LABEL_WIDTH, legend);
    }

    private static String key(JsonObject r) {
        JsonObject g = r.getJsonObject("group", new JsonObject());
        return text(g.getValue("day")) + "\u0000" + text(g.getValue("agent")) + "\u0000" + text(g.getValue("model"));
    }

    private static String join(Object... parts) {
        StringBuilder s = new StringBuilder();
        for (Object p : parts) {
            if (p != null && !p.toString().isBlank()) {
                s.append(s.isEmpty() ? "" : " · ").append(p);
            }
        }
        return s.toString();
    }

    static double value(JsonObject r, String metric) {
        return switch (metric) {
            case "calls" -> r.getLong("count", 0L);
            case "cost" -> r.getDouble("cost", 0.0);
            default -> r.getLong("inputTokens", 0L) + r.getLong("outputTokens", 0L);
        };
    }

    private static String format(double v, String metric) {
        return switch (metric) {
            case "cost" -> String.format(Locale.ROOT, "$%.4f", v);
            default -> Long.toString(Math.round(v));
        };
    }
}
