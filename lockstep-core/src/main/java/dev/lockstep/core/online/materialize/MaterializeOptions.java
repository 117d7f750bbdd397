package dev.lockstep.core.online.materialize;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@code lockstep materialize} loads the online state from the offline store. Immutable; start
 * from {@link #defaults()} and use the {@code withX} copies.
 *
 * @param from the inclusive lower bound of event times read; empty for each view's default: its
 *     longest window plus hop and its latest-value TTLs before the offline snapshot's commit time
 *     (unbounded if the view has a lifetime window or a latest feature without TTL)
 * @param to the exclusive upper bound of event times read; empty for none
 * @param chunkEvents about how many events one hash chunk of entities holds in memory; the entity
 *     space is split into {@code ceil(events / chunkEvents)} chunks, each a scan of the snapshot
 */
public record MaterializeOptions(Optional<Instant> from, Optional<Instant> to, long chunkEvents) {
  /** Events per chunk when none is given: about 200 MB of buffered events. */
  public static final long DEFAULT_CHUNK_EVENTS = 2_000_000;

  /**
   * @throws IllegalArgumentException if {@code from} is not before {@code to}, or {@code
   *     chunkEvents < 1}
   */
  public MaterializeOptions {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
      throw new IllegalArgumentException("Cannot materialize event times from " + from.get() + " to " + to.get()
          + ": the range is empty (--from must be before --to)");
    }
    if (chunkEvents < 1) {
      throw new IllegalArgumentException("Cannot materialize in chunks of " + chunkEvents + " events (give at least 1)");
    }
  }

  /** Every view's default range, in chunks of {@link #DEFAULT_CHUNK_EVENTS}. */
  public static MaterializeOptions defaults() {
    return new MaterializeOptions(Optional.empty(), Optional.empty(), DEFAULT_CHUNK_EVENTS);
  }

  /** A copy reading only events at or after {@code from}; null for each view's default. */
  public MaterializeOptions withFrom(Instant from) {
    return new MaterializeOptions(Optional.ofNullable(from), to, chunkEvents);
  }

  /** A copy reading only events before {@code to}; null for no bound. */
  public MaterializeOptions withTo(Instant to) {
    return new MaterializeOptions(from, Optional.ofNullable(to), chunkEvents);
  }

  /** A copy buffering about {@code events} events per chunk. */
  public MaterializeOptions withChunkEvents(long events) {
    return new MaterializeOptions(from, to, events);
  }
}
