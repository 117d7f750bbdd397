package dev.lockstep.engine.aggregate;

/** The mutable partial of {@code count} and {@code count_non_null}. */
final class Counter {
  long value;

  Counter(long value) {
    this.value = value;
  }
}
