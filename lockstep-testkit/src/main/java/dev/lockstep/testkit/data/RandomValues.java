package dev.lockstep.testkit.data;

import dev.lockstep.api.ValueType;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Adversarial values of one type: small repeated values (so distinct counts and ties matter),
 * ordinary values, and occasional extremes chosen to break naive arithmetic and orders.
 */
final class RandomValues {
  static final List<Long> LONG_EXTREMES = List.of(
      Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, (1L << 53) + 1, -(1L << 53) - 1, 0L);

  static final List<Double> DOUBLE_EXTREMES = List.of(
      Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, 1e-300, -1e-300, Double.MAX_VALUE,
      -Double.MAX_VALUE, 1e300, -1e300, 0x1p53 + 2, 0.0, -0.0);

  static final List<Double> NON_FINITE = List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);

  /** Strings whose UTF-16 order and code point order disagree, non-ASCII text, the empty string. */
  static final List<String> STRINGS = List.of(
      "", "a", "ab", "b", "B", "Z\u00FCrich", "\u00E9", "e\u0301", "\u00DF", "\u65E5\u672C",
      "\uFFFD", "\uE000", "\uD83D\uDE00", "a\uD83D\uDE00", "\uD834\uDD1E", "merchant-1", "merchant-10");

  private static final List<Double> SMALL_DOUBLES = List.of(0.1, 0.2, 0.3, 0.5, 1.0, -1.0, 2.5);
  private static final int[] ALPHABET = {'a', 'b', 0xE9, 0x65E5, 0xFFFD, 0x1F600};

  private final ValueType type;
  private final double nullRate;
  private final double extremeRate;
  private final double nonFiniteRate;

  RandomValues(ValueType type, double nullRate, double extremeRate, double nonFiniteRate) {
    this.type = type;
    this.nullRate = nullRate;
    this.extremeRate = extremeRate;
    this.nonFiniteRate = nonFiniteRate;
  }

  /** A value of the type, or null with the null rate. */
  Object next(SplittableRandom random) {
    if (random.nextDouble() < nullRate) {
      return null;
    }
    return switch (type) {
      case LONG -> nextLong(random);
      case DOUBLE -> nextDouble(random);
      case STRING -> nextString(random);
    };
  }

  private Long nextLong(SplittableRandom random) {
    if (random.nextDouble() < extremeRate) {
      return pick(random, LONG_EXTREMES);
    }
    return random.nextBoolean() ? random.nextLong(-5, 6) : random.nextLong(-1_000_000, 1_000_001);
  }

  private Double nextDouble(SplittableRandom random) {
    if (random.nextDouble() < nonFiniteRate) {
      return pick(random, NON_FINITE);
    }
    if (random.nextDouble() < extremeRate) {
      return pick(random, DOUBLE_EXTREMES);
    }
    return switch (random.nextInt(3)) {
      case 0 -> pick(random, SMALL_DOUBLES);
      case 1 -> random.nextLong(-100_000, 100_001) / 100.0; // cents
      default -> random.nextDouble(-1000.0, 1000.0); // full 53-bit significands
    };
  }

  private String nextString(SplittableRandom random) {
    if (random.nextBoolean()) {
      return pick(random, STRINGS);
    }
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(4);
    for (int i = 0; i < length; i++) {
      text.appendCodePoint(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    return text.toString();
  }

  private static <T> T pick(SplittableRandom random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }
}
