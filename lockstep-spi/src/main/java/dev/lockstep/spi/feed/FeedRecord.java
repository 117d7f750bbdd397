package dev.lockstep.spi.feed;

/**
 * One raw record of a {@link FeedReader}.
 *
 * @param partition the partition it was read from
 * @param offset its offset in the partition; the next record of the partition is at a higher one
 * @param key its key bytes, or {@code null}
 * @param value its value bytes, or {@code null} (a tombstone)
 * @param timestampMillis the feed's timestamp of the record (Kafka's record timestamp), or {@code
 *     -1}; informational, never the event time
 */
public record FeedRecord(int partition, long offset, byte[] key, byte[] value, long timestampMillis) {}
