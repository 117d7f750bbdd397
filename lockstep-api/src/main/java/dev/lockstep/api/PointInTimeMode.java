package dev.lockstep.api;

/** Which events a point-in-time evaluation at time {@code t} may see. */
public enum PointInTimeMode {
  /** Every event with {@code event_time < t}. The default for training sets. */
  EVENT_TIME,
  /**
   * Every event with {@code event_time < t} and {@code ingest_time < t}: exactly what the online
   * store could have known at {@code t}. Replays a served prediction.
   */
  AS_OF_INGEST
}
