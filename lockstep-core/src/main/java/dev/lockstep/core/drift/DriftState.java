package dev.lockstep.core.drift;

/** How far a feature's served values drifted from its training values (see {@link Drift}). */
public enum DriftState {
  /** Too few served (or training) observations to judge: fewer than the thresholds' minimum. */
  NOT_ENOUGH_DATA(-1),
  /** Every metric below its warning threshold. */
  OK(0),
  /** A metric at or above its warning threshold, none at or above its alert threshold. */
  WARN(1),
  /** A metric at or above its alert threshold. */
  ALERT(2);

  private final int level;

  DriftState(int level) {
    this.level = level;
  }

  /** A number for a gauge: -1 not enough data, 0 OK, 1 WARN, 2 ALERT. */
  public int level() {
    return level;
  }

  /** The worse of the two states; {@link #NOT_ENOUGH_DATA} is better than any judged state. */
  public DriftState worse(DriftState other) {
    return other.level > level ? other : this;
  }
}
