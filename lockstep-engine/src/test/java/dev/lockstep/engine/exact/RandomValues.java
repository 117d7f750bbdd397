package dev.lockstep.engine.exact;

import java.util.Random;

/** Seeded random doubles and longs across magnitudes, for property tests. */
final class RandomValues {
  private final Random random;

  RandomValues(long seed) {
    random = new Random(seed);
  }

  Random random() {
    return random;
  }

  /**
   * A double of a randomly chosen kind (money, near one, any bits, subnormal, tiny, huge, ...);
   * rarely NaN or infinite.
   */
  double anyDouble() {
    double sign = random.nextBoolean() ? 1 : -1;
    switch (random.nextInt(8)) {
      case 0:
        return sign * Math.round(random.nextDouble() * 1e8) / 100.0; // money
      case 1:
        return sign * (1 + random.nextGaussian());
      case 2:
        return sign * Double.longBitsToDouble(random.nextLong() >>> 1); // any finite or NaN
      case 3:
        return sign * Double.longBitsToDouble(random.nextLong() & ((1L << 52) - 1)); // subnormal
      case 4:
        return sign * Math.scalb(1 + random.nextDouble(), 1000 + random.nextInt(23)); // huge
      case 5:
        return sign * Math.scalb(1 + random.nextDouble(), -1022 - random.nextInt(10)); // tiny
      case 6:
        return sign * Math.scalb(random.nextDouble(), random.nextInt(200) - 100);
      default:
        return sign * (double) random.nextInt(1000);
    }
  }

  /** Like {@link #anyDouble} but never NaN or infinite. */
  double anyFinite() {
    double value;
    do {
      value = anyDouble();
    } while (!Double.isFinite(value));
    return value;
  }

  long anyLong() {
    switch (random.nextInt(5)) {
      case 0:
        return random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE;
      case 1:
        return random.nextLong();
      case 2:
        return random.nextInt();
      case 3:
        return Long.MIN_VALUE + random.nextInt(3);
      default:
        return Long.MAX_VALUE - random.nextInt(3);
    }
  }

  /** Values of one kind in a data set, for statistics. */
  double[] dataSet(int size) {
    double[] values = new double[size];
    int kind = random.nextInt(6);
    double center = Math.scalb(1 + random.nextDouble(), random.nextInt(80) - 20);
    for (int i = 0; i < size; i++) {
      switch (kind) {
        case 0:
          values[i] = Math.round(random.nextDouble() * 1e7) / 100.0;
          break;
        case 1:
          values[i] = random.nextGaussian() * 10 + 100;
          break;
        case 2:
          values[i] = center + random.nextGaussian() * Math.ulp(center) * 1e4; // cancellation
          break;
        case 3:
          values[i] = (double) random.nextInt(100);
          break;
        case 4:
          values[i] = anyFinite();
          break;
        default:
          values[i] = Math.scalb(random.nextGaussian(), random.nextInt(60) - 30);
      }
    }
    return values;
  }
}
