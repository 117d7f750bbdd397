package dev.lockstep.spi.feed;

import dev.lockstep.spi.Backend;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An external stream that a source's events arrive on, such as a Kafka topic, read by one consumer
 * that owns its positions. The reader never commits positions anywhere: Lockstep keeps each
 * record's position with the event it produced (in the event log, written atomically with it), so a
 * restart resumes exactly after the last record that took effect, with nothing lost or read twice.
 *
 * <p>Records are raw bytes: a reader never fails on a record's content (decoding and validation are
 * Lockstep's, and bad records go to quarantine), so one poison record never stalls the feed.
 *
 * <p>Not thread-safe: one thread polls a reader.
 */
public interface FeedReader extends Backend {

  /** The feed's partitions, sorted (a Kafka topic's partition numbers). */
  List<Integer> partitions();

  /**
   * Reads every partition from now on: partition {@code p} from offset {@code next.get(p)} when
   * present, otherwise from where the reader's configuration says new consumers start (by default
   * its oldest record).
   *
   * @throws dev.lockstep.spi.BackendException if the feed cannot be reached
   */
  void seek(Map<Integer, Long> next);

  /**
   * The records that arrive within {@code timeout} (possibly none), each partition's in offset
   * order. Returns early when records are there.
   *
   * @throws IllegalStateException if {@link #seek} was not called
   * @throws dev.lockstep.spi.BackendException if the feed failed
   */
  List<FeedRecord> poll(Duration timeout);

  /**
   * Where a record is, for people: {@code "kafka topic payments, partition 0, offset 17"}. Quarantine
   * rows and error messages use it.
   */
  String describe(int partition, long offset);
}
