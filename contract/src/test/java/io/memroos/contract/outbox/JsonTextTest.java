package io.memroos.contract.outbox;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTextTest {

    @Test
    void quotesEscapesAndControls() {
        assertEquals("\"plain\"", JsonText.quote("plain"));
        assertEquals("\"a\\\"b\\\\c\"", JsonText.quote("a\"b\\c"));
        assertEquals("\"\\n\\r\\t\\b\\f\"", JsonText.quote("\n\r\t\b\f"));
        assertEquals("\"\\u0000\\u001f\"", JsonText.quote("\u0000\u001f"));
        assertEquals("\"\\u2028\"", JsonText.quote("\u2028"));
        assertEquals("\"é😀\"", JsonText.quote("é😀"));
        assertEquals("\"\\ud800x\"", JsonText.quote("\ud800x"), "a lone surrogate is escaped, not sent raw");
        assertEquals("null", JsonText.quote(null));
    }

    @Test
    void quotedTextIsValidJson() {
        String nasty = "q\" \\ / \u0001 \u007f </script> é";
        assertTrue(JsonText.isObject("{\"k\":" + JsonText.quote(nasty) + "}"));
    }

    @Test
    void acceptsObjects() {
        assertTrue(JsonText.isObject("{}"));
        assertTrue(JsonText.isObject(" { \"a\" : [1, -2.5e3, true, false, null, {\"b\":\"\\u00e9\"}] } "));
        assertTrue(JsonText.isObject("{\"n\":0,\"m\":0.1,\"e\":1E+2}"));
    }

    @Test
    void refusesAnythingElse() {
        assertFalse(JsonText.isObject(null));
        assertFalse(JsonText.isObject(""));
        assertFalse(JsonText.isObject("[]"));
        assertFalse(JsonText.isObject("\"s\""));
        assertFalse(JsonText.isObject("{"));
        assertFalse(JsonText.isObject("{}{}"));
        assertFalse(JsonText.isObject("{} x"));
        assertFalse(JsonText.isObject("{\"a\":}"));
        assertFalse(JsonText.isObject("{\"a\":1,}"));
        assertFalse(JsonText.isObject("{a:1}"));
        assertFalse(JsonText.isObject("{\"a\":01}"));
        assertFalse(JsonText.isObject("{\"a\":\"\\x\"}"));
        assertFalse(JsonText.isObject("{\"a\":\"line\nbreak\"}"));
        assertFalse(JsonText.isObject("{\"a\":tru}"));
        assertFalse(JsonText.isObject("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}"));
    }
}
