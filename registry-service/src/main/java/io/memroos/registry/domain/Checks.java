package io.memroos.registry.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/** Field checks shared by the domain records; each failure names its field. */
final class Checks {

    private Checks() {
    }

    static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw RegistryException.invalid(field, "must not be blank");
        }
        return bounded(field, value.strip(), max);
    }

    static String optionalText(String field, String value, int max) {
        if (value == null) {
            return null;
        }
        return bounded(field, value.strip(), max);
    }

    private static String bounded(String field, String value, int max) {
        if (value.length() > max) {
            throw RegistryException.invalid(field, "must be at most " + max + " characters");
        }
        return value;
    }

    /** A de-duplicated list of non-blank strings, order kept. */
    static List<String> texts(String field, List<String> values, int maxItems, int maxLength) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > maxItems) {
            throw RegistryException.invalid(field, "must have at most " + maxItems + " entries");
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (int i = 0; i < values.size(); i++) {
            out.add(text(field + "[" + i + "]", values.get(i), maxLength));
        }
        return List.copyOf(new ArrayList<>(out));
    }

    /** An absolute http(s) URL. */
    static String httpUrl(String field, String value) {
        String url = text(field, value, 2048);
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw RegistryException.invalid(field, "must be an http or https URL");
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw RegistryException.invalid(field, "must name a host");
            }
        } catch (URISyntaxException e) {
            throw RegistryException.invalid(field, "is not a valid URL");
        }
        return url;
    }
}
