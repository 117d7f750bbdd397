package dev.lockstep.core.lineage;

/** Which side of a node a lineage query follows. */
public enum Direction {
  /** What the node is built from: its sources, views, services. */
  UPSTREAM,
  /** What is built from the node: views, services, training sets. */
  DOWNSTREAM,
  /** Both. */
  BOTH;

  boolean upstream() {
    return this != DOWNSTREAM;
  }

  boolean downstream() {
    return this != UPSTREAM;
  }
}
