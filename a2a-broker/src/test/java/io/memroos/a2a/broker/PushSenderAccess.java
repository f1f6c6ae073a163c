package io.memroos.a2a.broker;

/** Test access to the webhook signature. */
public final class PushSenderAccess {
    private PushSenderAccess() {
    }

    public static String sign(String key, String data) {
        return PushSender.sign(key, data);
    }
}
