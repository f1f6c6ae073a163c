package io.memroos.memory.domain;

import java.util.List;

/**
 * What an input became.
 *
 * @param results  one line per memory operation: the memory id, what happened ({@code ADD}, {@code NOOP} for a
 *                 folded duplicate, {@code UPDATE}, {@code INVALIDATE}) and the text
 * @param episodes the episode ids appended
 * @param entities entity ids written to the graph (model pipeline)
 * @param relations relation ids written to the graph (model pipeline)
 * @param pipeline which pipeline decided
 */
public record AddResult(List<Line> results, List<String> episodes, List<String> entities, List<String> relations,
                        String pipeline) {

    public record Line(String id, String event, String text) {
    }

    /** The ids created or changed, for the job record. */
    public List<String> ids() {
        return results.stream().map(Line::id).distinct().toList();
    }
}
