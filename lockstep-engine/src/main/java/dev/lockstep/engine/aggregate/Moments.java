package dev.lockstep.engine.aggregate;

import dev.lockstep.engine.exact.ExactSum;

/**
 * The mutable partial of sum, mean, variance and standard deviation: the number of values, their
 * exact sum and, for the variances, the exact sum of their squares (null when not needed).
 */
final class Moments {
  long count;
  final ExactSum sum;
  final ExactSum squares;

  Moments(long count, ExactSum sum, ExactSum squares) {
    this.count = count;
    this.sum = sum;
    this.squares = squares;
  }
}
