package dev.lockstep.engine.exact;

import java.util.Random;

/**
 * Throwaway timing print, not a test: {@code java -cp target/classes:target/test-classes:<api jar>
 * dev.lockstep.engine.exact.ExactTiming}. Prints ns/op of the hot operations on money-like values.
 */
public final class ExactTiming {
  private static double sink;

  private ExactTiming() {}

  public static void main(String[] args) {
    Random random = new Random(1);
    double[] money = new double[4096];
    for (int i = 0; i < money.length; i++) {
      money[i] = Math.round(random.nextDouble() * 1e7) / 100.0 * (random.nextInt(10) == 0 ? -1 : 1);
    }
    ExactSum[] parts = new ExactSum[64];
    ExactSum[] squares = new ExactSum[64];
    for (int p = 0; p < parts.length; p++) {
      parts[p] = new ExactSum();
      squares[p] = new ExactSum();
      for (int i = 0; i < 100; i++) {
        double value = money[random.nextInt(money.length)];
        parts[p].add(value);
        squares[p].addSquare(value);
      }
    }
    for (int round = 0; round < 5; round++) {
      System.out.printf("round %d%n", round);
      time("add(double)", 50_000_000, n -> {
        ExactSum sum = new ExactSum();
        for (int i = 0; i < n; i++) {
          sum.add(money[i & 4095]);
        }
        return sum.doubleValue();
      });
      time("addSquare(double)", 50_000_000, n -> {
        ExactSum sum = new ExactSum();
        for (int i = 0; i < n; i++) {
          sum.addSquare(money[i & 4095]);
        }
        return sum.doubleValue();
      });
      time("add(ExactSum)", 20_000_000, n -> {
        ExactSum sum = new ExactSum();
        for (int i = 0; i < n; i++) {
          sum.add(parts[i & 63]);
        }
        return sum.doubleValue();
      });
      time("add(double)+doubleValue", 20_000_000, n -> {
        ExactSum sum = new ExactSum();
        double total = 0;
        for (int i = 0; i < n; i++) {
          sum.add(money[i & 4095]);
          total += sum.doubleValue();
        }
        return total;
      });
      time("doubleValue (normalized)", 20_000_000, n -> {
        double total = 0;
        for (int i = 0; i < n; i++) {
          total += parts[i & 63].doubleValue();
        }
        return total;
      });
      time("mean", 10_000_000, n -> {
        double total = 0;
        for (int i = 0; i < n; i++) {
          total += ExactStatistics.mean(parts[i & 63], 100);
        }
        return total;
      });
      time("variance", 5_000_000, n -> {
        double total = 0;
        for (int i = 0; i < n; i++) {
          total += ExactStatistics.variance(parts[i & 63], squares[i & 63], 100, true);
        }
        return total;
      });
      time("standardDeviation", 5_000_000, n -> {
        double total = 0;
        for (int i = 0; i < n; i++) {
          total += ExactStatistics.standardDeviation(parts[i & 63], squares[i & 63], 100, true);
        }
        return total;
      });
    }
    System.out.println(sink == 42 ? "" : "done");
  }

  private interface Body {
    double run(int n);
  }

  private static void time(String name, int n, Body body) {
    long start = System.nanoTime();
    sink += body.run(n);
    long elapsed = System.nanoTime() - start;
    System.out.printf("  %-26s %7.2f ns/op%n", name, (double) elapsed / n);
  }
}
