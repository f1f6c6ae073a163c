package io.memroos.a2a.domain;

/** A refusal with its A2A error: the JSON-RPC code and the HTTP status of the HTTP+JSON binding. */
public final class A2aException extends RuntimeException {

    public enum Kind {
        PARSE_ERROR(-32700, 400, "Parse error"),
        INVALID_REQUEST(-32600, 400, "Invalid request"),
        METHOD_NOT_FOUND(-32601, 404, "Method not found"),
        INVALID_PARAMS(-32602, 400, "Invalid params"),
        INTERNAL(-32603, 500, "Internal error"),
        TASK_NOT_FOUND(-32001, 404, "Task not found"),
        TASK_NOT_CANCELABLE(-32002, 409, "Task cannot be canceled"),
        PUSH_NOT_SUPPORTED(-32003, 400, "Push notifications are not supported"),
        UNSUPPORTED_OPERATION(-32004, 400, "This operation is not supported"),
        CONTENT_TYPE_NOT_SUPPORTED(-32005, 415, "Incompatible content types"),
        INVALID_AGENT_RESPONSE(-32006, 502, "Invalid agent response"),
        EXTENDED_CARD_NOT_CONFIGURED(-32007, 400, "Extended agent card is not configured"),
        EXTENSION_SUPPORT_REQUIRED(-32008, 400, "Extension support required"),
        VERSION_NOT_SUPPORTED(-32009, 400, "Version not supported"),
        UNAUTHORIZED(-32600, 401, "Unauthorized"),
        FORBIDDEN(-32600, 403, "Forbidden");

        public final int code;
        public final int httpStatus;
        public final String title;

        Kind(int code, int httpStatus, String title) {
            this.code = code;
            this.httpStatus = httpStatus;
            this.title = title;
        }
    }

    private final Kind kind;

    public A2aException(Kind kind, String message) {
        super(message == null ? kind.title : message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static A2aException taskNotFound(String id) {
        return new A2aException(Kind.TASK_NOT_FOUND, "task " + id + " not found");
    }

    public static A2aException invalidParams(String message) {
        return new A2aException(Kind.INVALID_PARAMS, message);
    }

    public static A2aException of(Kind kind, String message) {
        return new A2aException(kind, message);
    }
}
