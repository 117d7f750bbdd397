package dev.lockstep.engine;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.engine.aggregate.Aggregators;
import dev.lockstep.engine.event.EventBlock;
import dev.lockstep.engine.event.EventSchema;
import dev.lockstep.testkit.oracle.OracleEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded adversarial events, windows and aggregations for engine tests. */
public final class TestData {
  private static final String[] WORDS = {"a", "b", "ab", "zz", "", "é", "\uFFFD", "\uD83D\uDE00", "x\uD83D\uDE00", "\uE000"};

  private TestData() {}

  /**
   * Events of one entity clustered in a small time range so windows, hops and ties collide:
   * duplicate event times, events on hop boundaries, late ingestion, nulls.
   */
  public static List<OracleEvent> events(SplittableRandom random, ValueType type, int count, double nullRate,
      long span, long boundary) {
    List<OracleEvent> events = new ArrayList<>(count);
    long sequence = random.nextLong(1_000);
    for (int i = 0; i < count; i++) {
      long eventTime;
      int shape = random.nextInt(10);
      if (shape == 0 && !events.isEmpty()) {
        eventTime = events.get(random.nextInt(events.size())).eventTime(); // duplicate time
      } else if (shape == 1) {
        eventTime = Math.floorDiv(random.nextLong(-span / 4, span), boundary) * boundary; // on a hop boundary
      } else {
        eventTime = random.nextLong(-span / 4, span);
      }
      long delay = random.nextInt(4) == 0 ? random.nextLong(0, span / 3 + 1) : random.nextLong(0, 3);
      long ingestTime = random.nextInt(8) == 0 && i > 0
          ? events.get(random.nextInt(events.size())).ingestTime() // duplicate ingest time
          : eventTime + delay;
      sequence += 1 + random.nextInt(3);
      Object value = random.nextDouble() < nullRate ? null : value(random, type);
      events.add(new OracleEvent(eventTime, ingestTime, sequence, value));
    }
    return events;
  }

  public static Object value(SplittableRandom random, ValueType type) {
    switch (type) {
      case LONG:
        return switch (random.nextInt(20)) {
          case 0 -> Long.MAX_VALUE / 1024;
          case 1 -> Long.MIN_VALUE / 1024 + 1;
          default -> random.nextLong(-1_000, 1_000);
        };
      case DOUBLE:
        return switch (random.nextInt(25)) {
          case 0 -> -0.0;
          case 1 -> 0.0;
          case 2 -> 1e-300 * random.nextDouble();
          case 3 -> 1e250 * (random.nextDouble() - 0.5);
          case 4 -> Math.scalb(1.0, random.nextInt(-60, 60)) + Math.ulp(1.0);
          case 5 -> 0.1;
          default -> Math.round(random.nextDouble(-500, 1500) * 100) / 100.0;
        };
      case STRING:
        return WORDS[random.nextInt(WORDS.length)] + (random.nextBoolean() ? "" : Integer.toString(random.nextInt(5)));
      default:
        throw new AssertionError(type);
    }
  }

  /** Query times: at event times, one ms around them, on hop boundaries, before the first event. */
  public static long[] queryTimes(SplittableRandom random, List<OracleEvent> events, int count, long span, long boundary) {
    long[] times = new long[count];
    for (int i = 0; i < count; i++) {
      OracleEvent some = events.isEmpty() ? null : events.get(random.nextInt(events.size()));
      times[i] = switch (random.nextInt(7)) {
        case 0, 1 -> some == null ? 0 : some.eventTime();
        case 2 -> some == null ? 1 : some.eventTime() + 1;
        case 3 -> some == null ? 2 : some.ingestTime() + random.nextInt(-1, 2);
        case 4 -> Math.floorDiv(random.nextLong(-span / 2, span * 2), boundary) * boundary;
        case 5 -> -span;
        default -> random.nextLong(-span / 2, span * 2);
      };
    }
    return times;
  }

  /** A sliding window (size ≤ span, hop ≤ size) or, one time in eight, a lifetime window. */
  public static Window window(SplittableRandom random, long span) {
    if (random.nextInt(8) == 0) {
      return Window.lifetime();
    }
    long size = 1 + random.nextLong(Math.max(2, span));
    long hop = switch (random.nextInt(4)) {
      case 0 -> 1;
      case 1 -> size;
      default -> 1 + random.nextLong(size);
    };
    return Window.sliding(Duration.ofMillis(size), Duration.ofMillis(hop));
  }

  /** A random aggregation that accepts {@code type}. */
  public static Aggregation aggregation(SplittableRandom random, ValueType type) {
    while (true) {
      AggregationFunction function = AggregationFunction.values()[random.nextInt(AggregationFunction.values().length)];
      if (!Aggregators.acceptedTypes(function).contains(type)) {
        continue;
      }
      return switch (function) {
        case COUNT -> Aggregation.count();
        case FIRST_K, LAST_K -> new Aggregation(function, "v", 1 + random.nextInt(4), Double.NaN);
        case APPROX_PERCENTILE -> Aggregation.approxPercentile("v", random.nextInt(5) == 0
            ? random.nextInt(2) : random.nextDouble());
        default -> Aggregation.of(function, "v");
      };
    }
  }

  /** One column named {@code v}. */
  public static EventSchema schema(ValueType type) {
    return EventSchema.of("v", type);
  }

  public static EventBlock block(ValueType type, List<OracleEvent> events) {
    EventBlock block = new EventBlock(schema(type), events.size());
    for (OracleEvent event : events) {
      int row = block.append(event.eventTime(), event.ingestTime(), event.sequence());
      block.set(0, row, event.value());
    }
    return block;
  }
}
