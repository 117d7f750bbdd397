package dev.lockstep.api;

/** The status that accompanies every served feature value. */
public enum FeatureStatus {
  /** A value computed from at least one event. */
  PRESENT,
  /** No event of the entity is visible to the feature. */
  NO_DATA,
  /** A latest-value feature whose newest row is older than its TTL; the value is null. */
  EXPIRED,
  /** The feature view's declared freshness bound is exceeded; the value is still returned. */
  STALE
}
