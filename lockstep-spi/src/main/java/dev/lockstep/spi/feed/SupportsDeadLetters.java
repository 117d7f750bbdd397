package dev.lockstep.spi.feed;

import java.util.List;

/**
 * A feed that can hand records Lockstep refused (unparseable, wrong schema) to a dead-letter
 * destination beside the quarantine table, e.g. a Kafka topic the producing team watches.
 */
public interface SupportsDeadLetters extends FeedReader {

  /** A refused record and why. */
  record DeadLetter(FeedRecord record, String reason) {}

  /**
   * Sends {@code letters} to the dead-letter destination and returns once they are durable.
   *
   * @throws dev.lockstep.spi.BackendException if they could not be sent; the caller retries
   */
  void deadLetter(List<DeadLetter> letters);
}
