package io.memroos.registry.remote;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.registry.domain.AgentCard;
import io.memroos.registry.domain.RegistryException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CardReaderTest {

    private final CardReader reader = new CardReader(new ObjectMapper());

    private AgentCard read(String json) {
        return reader.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private RegistryException refused(String json) {
        return assertThrows(RegistryException.class, () -> read(json));
    }

    @Test
    void readsA10Card() {
        AgentCard card = read("""
                {"name":"Ten","description":"d","version":"1",
                 "supportedInterfaces":[{"url":"https://ten.example/a2a","protocolBinding":"JSONRPC","protocolVersion":"1.0"}],
                 "capabilities":{"streaming":true},"defaultInputModes":["text/plain"],"defaultOutputModes":["text/plain"],
                 "skills":[{"id":"s","name":"S","description":"x","tags":["t1","t2"]}]}""");
        assertEquals("Ten", card.name());
        assertEquals("https://ten.example/a2a", card.url());
        assertEquals("1.0", card.protocolVersion());
        assertEquals(List.of("a2a", "a2a.streaming", "t1", "t2"), card.capabilities());
        assertEquals("s", card.skills().get(0).id());
    }

    @Test
    void readsA03Card() {
        AgentCard card = read("""
                {"protocolVersion":"0.3.0","name":"Three","description":"d","url":"http://three.example/a2a",
                 "preferredTransport":"JSONRPC","version":"1","capabilities":{},
                 "defaultInputModes":[],"defaultOutputModes":[],"skills":[]}""");
        assertEquals("http://three.example/a2a", card.url());
        assertEquals("0.3.0", card.protocolVersion());
        assertEquals(List.of("a2a"), card.capabilities());
    }

    @Test
    void namesTheFailingFieldOfACardValidForNeitherVersion() {
        RegistryException noUrl = refused("""
                {"name":"N","description":"d","version":"1","capabilities":{},"defaultInputModes":[],
                 "defaultOutputModes":[],"skills":[]}""");
        assertEquals("card.supportedInterfaces", noUrl.field());
        assertEquals("is required", noUrl.getMessage().substring(0, "is required".length()));

        RegistryException badSkill = refused("""
                {"name":"N","description":"d","version":"1","url":"http://n.example/","capabilities":{},
                 "defaultInputModes":[],"defaultOutputModes":[],"skills":[{"id":"s","name":"S","description":"x"}]}""");
        assertEquals("card.skills[0].tags", badSkill.field());

        RegistryException badType = refused("""
                {"name":"N","description":"d","version":"1",
                 "supportedInterfaces":[{"url":"https://n.example/","protocolBinding":"JSONRPC"}],
                 "capabilities":{"streaming":"yes"},"defaultInputModes":[],"defaultOutputModes":[],"skills":[]}""");
        assertEquals("card.capabilities.streaming", badType.field());
        assertTrue(badType.detail().startsWith("card.capabilities.streaming: "), badType.detail());

        assertEquals("cardUrl", refused("not json").field());
        assertEquals("cardUrl", refused("[1]").field());
    }
}
