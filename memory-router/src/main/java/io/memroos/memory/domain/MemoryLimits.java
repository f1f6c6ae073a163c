package io.memroos.memory.domain;

/**
 * Limits of the write and read paths.
 *
 * @param syncMaxItems    inputs with more items than this are processed as a job (202)
 * @param syncMaxChars    ... or with more characters than this
 * @param maxItems        most items (messages) in one input
 * @param maxContentChars longest single message or text
 * @param maxPageSize     largest page of a listing or recall
 * @param maxMetadataKeys most metadata keys per memory
 */
public record MemoryLimits(int syncMaxItems, int syncMaxChars, int maxItems, int maxContentChars, int maxPageSize,
                           int maxMetadataKeys) {
}
