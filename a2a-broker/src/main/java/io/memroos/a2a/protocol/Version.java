package io.memroos.a2a.protocol;

import java.util.Map;

/** The A2A protocol versions the broker speaks, and how a request says which one it uses. */
public enum Version {
    V0_3("0.3"), V1_0("1.0");

    public static final String HEADER = "A2A-Version";

    /** 0.3 JSON-RPC method -> its 1.0 name. */
    public static final Map<String, String> LEGACY_METHODS = Map.ofEntries(
            Map.entry("message/send", "SendMessage"),
            Map.entry("message/stream", "SendStreamingMessage"),
            Map.entry("tasks/get", "GetTask"),
            Map.entry("tasks/list", "ListTasks"),
            Map.entry("tasks/cancel", "CancelTask"),
            Map.entry("tasks/resubscribe", "SubscribeToTask"),
            Map.entry("tasks/pushNotificationConfig/set", "CreateTaskPushNotificationConfig"),
            Map.entry("tasks/pushNotificationConfig/get", "GetTaskPushNotificationConfig"),
            Map.entry("tasks/pushNotificationConfig/list", "ListTaskPushNotificationConfigs"),
            Map.entry("tasks/pushNotificationConfig/delete", "DeleteTaskPushNotificationConfig"),
            Map.entry("agent/getAuthenticatedExtendedCard", "GetExtendedAgentCard"));

    public final String wire;

    Version(String wire) {
        this.wire = wire;
    }

    /** A card's or header's version string: anything below 1.0 is 0.3, blank means {@code fallback}. */
    public static Version parse(String text, Version fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        String t = text.strip();
        return t.startsWith("0.") ? V0_3 : V1_0;
    }
}
