package dev.lockstep.spi.eventlog;

import dev.lockstep.spi.AlreadyExistsException;
import dev.lockstep.spi.Backend;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.NotFoundException;
import dev.lockstep.spi.OutcomeUnknownException;
import dev.lockstep.spi.UnsupportedBackendOperationException;
import java.util.List;

/**
 * A durable, partitioned, append-only log of records in named streams: the source of truth events
 * are replayed from. Embedded: a local write-ahead log with group commit; distributed: Kafka.
 *
 * <p><b>Durability.</b> {@link #append} returns only when every record of the batch is durable: it
 * survives a kill -9 of any process and a restart (an fsync for a local log; {@code acks=all} with
 * enough in-sync replicas for Kafka). Only such records are ever returned by {@link #read}: a
 * reader never sees a record that could later disappear.
 *
 * <p><b>Ordering.</b> The partition of a record is a pure function of its key and the stream's
 * partition count, so records with equal keys go to the same partition. Within a partition, records
 * are read in append order, and the records of one batch keep their batch order. There is no order
 * across partitions.
 *
 * <p>Instances are thread-safe; concurrent appends to one partition are serialized in some order.
 */
public interface EventLog extends Backend {

  /**
   * Creates {@code stream} with {@code partitions} partitions; does nothing if it already exists
   * with that many.
   *
   * @throws AlreadyExistsException if it exists with a different partition count
   * @throws IllegalArgumentException if {@code partitions < 1}
   * @throws BackendException if the log cannot be reached
   */
  void createStream(String stream, int partitions);

  /** The names of every stream, sorted. */
  List<String> streams();

  /**
   * The number of partitions of {@code stream}.
   *
   * @throws NotFoundException if there is no such stream
   */
  int partitions(String stream);

  /**
   * Appends {@code records} to {@code stream} and returns when all are durable.
   *
   * @return the position of each record, in the order of {@code records}
   * @throws NotFoundException if there is no such stream
   * @throws BackendException if nothing was appended
   * @throws OutcomeUnknownException if any subset of the batch may have been appended (for each
   *     partition, a prefix of its records in batch order); read the end positions before retrying
   */
  List<Position> append(String stream, List<LogRecord> records);

  /**
   * Reads up to {@code maxRecords} durable records of {@code from.partition()}, starting at the
   * first record whose offset is {@code >= from.offset()}, in offset order. Does not wait: returns
   * an empty list when no record is there yet.
   *
   * @throws NotFoundException if there is no such stream or partition, or if {@code from} is before
   *     {@link #startPositions} because older records were truncated
   * @throws IllegalArgumentException if {@code maxRecords < 1}
   */
  List<LogEntry> read(String stream, Position from, int maxRecords);

  /**
   * For each partition in order, the position of its oldest readable record (equal to its end
   * position when it is empty).
   *
   * @throws NotFoundException if there is no such stream
   */
  List<Position> startPositions(String stream);

  /**
   * For each partition in order, the position the next appended record will be at or after: the
   * exclusive end of what can be read now.
   *
   * @throws NotFoundException if there is no such stream
   */
  List<Position> endPositions(String stream);

  /**
   * Deletes {@code stream} and every record in it. Optional.
   *
   * @throws NotFoundException if there is no such stream
   * @throws UnsupportedBackendOperationException if this log cannot delete streams
   */
  default void deleteStream(String stream) {
    throw UnsupportedBackendOperationException.of(this, "deleting streams");
  }
}
