package io.memroos.memory.domain;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Text handling of the deterministic pipeline: normalization (the duplicate key) and sentence splitting. */
public final class Texts {

    /** A fact longer than this is cut at word boundaries. */
    public static final int MAX_FACT_CHARS = 1000;
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[\\p{Lu}\\p{N}\"'(])");
    /** A piece ending in a title or common abbreviation is not a sentence end ("Dr. Smith"). */
    private static final Pattern ABBREVIATION = Pattern.compile(
            "(?i)(?:^|\\s)(?:mr|mrs|ms|dr|prof|st|sr|jr|vs|etc|e\\.g|i\\.e|no|approx|dept)\\.$");
    private static final Pattern SPACE = Pattern.compile("\\s+");

    private Texts() {
    }

    /** NFKC, lower case, collapsed whitespace, without trailing punctuation: equal keys fold as duplicates. */
    public static String normalize(String text) {
        String t = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        t = SPACE.matcher(t).replaceAll(" ").strip();
        int end = t.length();
        while (end > 0 && ".!?;,: ".indexOf(t.charAt(end - 1)) >= 0) {
            end--;
        }
        return t.substring(0, end);
    }

    /** Sentences of a free text (line breaks and sentence ends), each at most {@link #MAX_FACT_CHARS}. */
    public static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String pending = "";
            for (String s : SENTENCE_END.split(line)) {
                String t = (pending + " " + SPACE.matcher(s).replaceAll(" ").strip()).strip();
                if (ABBREVIATION.matcher(t).find()) {
                    pending = t;
                    continue;
                }
                pending = "";
                if (t.length() >= 2) {
                    out.addAll(chunks(t));
                }
            }
            if (pending.length() >= 2) {
                out.addAll(chunks(pending));
            }
        }
        return out;
    }

    /** A turn of a conversation: one fact unless it is long, then its sentences. */
    public static List<String> turn(String content) {
        String t = SPACE.matcher(content).replaceAll(" ").strip();
        if (t.isEmpty()) {
            return List.of();
        }
        return t.length() <= MAX_FACT_CHARS ? List.of(t) : sentences(content);
    }

    static List<String> chunks(String t) {
        if (t.length() <= MAX_FACT_CHARS) {
            return List.of(t);
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < t.length()) {
            int end = Math.min(t.length(), start + MAX_FACT_CHARS);
            if (end < t.length()) {
                int space = t.lastIndexOf(' ', end);
                if (space > start + MAX_FACT_CHARS / 2) {
                    end = space;
                }
            }
            out.add(t.substring(start, end).strip());
            start = end;
        }
        return out;
    }
}
