package io.memroos.memory.store;

import java.time.Instant;
import java.util.List;

/**
 * A large write processed in the background.
 *
 * @param id       job id
 * @param agentId  the owner (only it or the operator may poll)
 * @param status   {@code queued}, {@code running}, {@code done} or {@code failed}
 * @param items    how many items the input had
 * @param ids      the fact ids written, when done
 * @param error    the failure, when failed
 * @param createdAt when queued
 * @param finishedAt when done or failed
 */
public record Job(String id, String agentId, String status, int items, List<String> ids, String error,
                  Instant createdAt, Instant finishedAt) {

    public Job {
        ids = ids == null ? List.of() : List.copyOf(ids);
    }
}
