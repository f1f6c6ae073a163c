package io.memroos.gateway.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthenticatorTest {

    @Test
    void readsTheKeyOfABearerHeaderOnly() {
        assertEquals("mrk_1", Authenticator.bearerKey("Bearer mrk_1"));
        assertEquals("mrk_1", Authenticator.bearerKey("bearer   mrk_1 "));
        assertNull(Authenticator.bearerKey(null));
        assertNull(Authenticator.bearerKey("Bearer "));
        assertNull(Authenticator.bearerKey("Basic dXNlcjpwdw=="));
        assertNull(Authenticator.bearerKey("Bearermrk_1"));
    }

    @Test
    void callersCarryTheirSubjectAndRateKey() {
        Caller agent = Caller.agent("agt_1", "key_9");
        assertEquals("agent:agt_1", agent.subject());
        assertEquals("key:key_9", agent.rateKey());
        assertTrue(Caller.operatorByKey().isOperator());
        assertEquals("operator", Caller.operatorSession("h", "c").subject());
    }

    @Test
    void hashesAreStableHexAndTokensAreRandom() {
        assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", Hashes.sha256Hex("hello"));
        assertEquals(43, Hashes.randomToken(32).length());
        assertTrue(!Hashes.randomToken(32).equals(Hashes.randomToken(32)));
    }
}
