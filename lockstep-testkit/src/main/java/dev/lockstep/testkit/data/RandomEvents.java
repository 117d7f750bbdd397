package dev.lockstep.testkit.data;

import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.testkit.oracle.OracleEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Seeded, adversarial events for differential tests of the engine against the naive oracle.
 *
 * <p>Event times fall in about {@code [origin, origin + spanHops · hop)} (the default origin is negative,
 * so negative times are covered). Besides uniform times, a fraction of events lands exactly on a
 * hop boundary or one millisecond either side of it, and a fraction duplicates an earlier event's
 * time, half of those its ingest time too, so that only the sequence orders them. Ingest times
 * equal the event time, trail it by up to half a hop, or, for a late fraction, by one to five
 * hops. Values are drawn by type with occasional extremes: LONG near ±2^63 and 2^53 + 1, DOUBLE
 * tiny, huge, negative and −0.0 (and NaN/±∞ only if {@link Builder#nonFiniteRate} is set), STRING
 * non-ASCII and supplementary characters whose UTF-16 and code point orders disagree.
 *
 * <p>The instance is stateful: successive calls continue one random sequence, and sequence numbers
 * are unique across all events it ever returns, increasing in ingest order.
 */
public final class RandomEvents {
  private final SplittableRandom random;
  private final ValueType type;
  private final RandomValues values;
  private final long hopMillis;
  private final long originMillis;
  private final long spanMillis;
  private final double duplicateRate;
  private final double boundaryRate;
  private final double lateRate;
  private long nextSequence;

  private RandomEvents(Builder builder) {
    this.random = new SplittableRandom(builder.seed);
    this.type = builder.type;
    this.values = new RandomValues(builder.type, builder.nullRate, builder.extremeRate, builder.nonFiniteRate);
    this.hopMillis = builder.hopMillis;
    this.originMillis = builder.originMillis != null ? builder.originMillis : -5 * builder.hopMillis;
    this.spanMillis = builder.spanHops * builder.hopMillis;
    this.duplicateRate = builder.duplicateRate;
    this.boundaryRate = builder.boundaryRate;
    this.lateRate = builder.lateRate;
  }

  /** Options for values of {@code type}; every option has a default. */
  public static Builder builder(ValueType type) {
    return new Builder(Objects.requireNonNull(type, "type"));
  }

  public ValueType type() {
    return type;
  }

  /** {@code count} events of one entity, in ingest order. */
  public List<OracleEvent> events(int count) {
    return entities(1, count, count).get("e0");
  }

  /**
   * Events of {@code entities} entities named {@code e0, e1, ...}, each with a uniform number of
   * events in {@code [minEvents, maxEvents]}; every list is in ingest order, and sequences are
   * assigned across all entities in ingest order.
   */
  public Map<String, List<OracleEvent>> entities(int entities, int minEvents, int maxEvents) {
    if (entities < 0 || minEvents < 0 || maxEvents < minEvents) {
      throw new IllegalArgumentException("Cannot generate " + entities + " entities of " + minEvents
          + " to " + maxEvents + " events: counts must be ≥ 0 and min ≤ max");
    }
    List<Draft> drafts = new ArrayList<>();
    for (int entity = 0; entity < entities; entity++) {
      draftEntity("e" + entity, random.nextInt(minEvents, maxEvents + 1), drafts);
    }
    drafts.sort(Comparator.comparingLong(Draft::ingestTime)); // stable: generation order breaks ties
    Map<String, List<OracleEvent>> byEntity = new LinkedHashMap<>();
    for (int entity = 0; entity < entities; entity++) {
      byEntity.put("e" + entity, new ArrayList<>());
    }
    for (Draft draft : drafts) {
      byEntity.get(draft.entity())
          .add(new OracleEvent(draft.eventTime(), draft.ingestTime(), nextSequence++, draft.value()));
    }
    byEntity.replaceAll((entity, events) -> List.copyOf(events));
    return byEntity;
  }

  /**
   * Sorted, distinct evaluation times that stress {@code window} over {@code events}: before the
   * first event, at and just after the last one and after everything has left the window, plus up to
   * {@code count} times drawn from event times, ingest times, hop boundaries, and the first and last
   * instants at which an event is still inside the window.
   */
  public long[] queryTimes(List<OracleEvent> events, Window window, int count) {
    long hop = window.isLifetime() ? hopMillis : window.hopMillis();
    long size = window.isLifetime() ? 0 : window.sizeMillis();
    TreeSet<Long> times = new TreeSet<>();
    if (events.isEmpty()) {
      times.add(originMillis);
      for (int i = 0; i < count; i++) {
        times.add(originMillis + random.nextLong(-spanMillis, 2 * spanMillis));
      }
      return toArray(times);
    }
    long first = events.stream().mapToLong(OracleEvent::eventTime).min().getAsLong();
    long last = events.stream().mapToLong(OracleEvent::eventTime).max().getAsLong();
    long lastIngest = events.stream().mapToLong(OracleEvent::ingestTime).max().getAsLong();
    times.addAll(List.of(first - size - hop, first - 1, first, last, last + 1, Math.max(last, lastIngest) + size + hop + 1));
    for (int i = 0; i < count; i++) {
      OracleEvent event = events.get(random.nextInt(events.size()));
      long aligned = Math.floorDiv(event.eventTime(), hop) * hop;
      times.add(switch (random.nextInt(8)) {
        case 0 -> event.eventTime();
        case 1 -> event.eventTime() + 1;
        case 2 -> event.ingestTime();
        case 3 -> event.ingestTime() + 1;
        case 4 -> aligned;
        case 5 -> aligned + hop;
        case 6 -> aligned + hop + size; // first t at which the event has left the window
        default -> aligned + hop + size - 1; // last t at which it is still inside
      });
    }
    return toArray(times);
  }

  private void draftEntity(String entity, int count, List<Draft> drafts) {
    List<Draft> own = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Object value = values.next(random);
      double kind = random.nextDouble();
      if (!own.isEmpty() && kind < duplicateRate) {
        Draft earlier = own.get(random.nextInt(own.size()));
        long ingest = random.nextBoolean() ? earlier.ingestTime() : ingestTime(earlier.eventTime());
        own.add(new Draft(entity, earlier.eventTime(), ingest, value));
        continue;
      }
      long eventTime = originMillis + random.nextLong(spanMillis);
      if (kind < duplicateRate + boundaryRate) {
        int side = random.nextInt(4); // half on the boundary, a quarter 1 ms before, a quarter 1 ms after
        eventTime = Math.floorDiv(eventTime, hopMillis) * hopMillis + (side == 2 ? -1 : side == 3 ? 1 : 0);
      }
      own.add(new Draft(entity, eventTime, ingestTime(eventTime), value));
    }
    drafts.addAll(own);
  }

  private long ingestTime(long eventTime) {
    if (random.nextDouble() < lateRate) {
      return eventTime + random.nextLong(hopMillis, 5 * hopMillis + 1);
    }
    return random.nextInt(4) == 0 ? eventTime : eventTime + random.nextLong(hopMillis / 2 + 1);
  }

  private static long[] toArray(TreeSet<Long> times) {
    return times.stream().mapToLong(Long::longValue).toArray();
  }

  private record Draft(String entity, long eventTime, long ingestTime, Object value) {}

  /** Options of {@link RandomEvents}. */
  public static final class Builder {
    private final ValueType type;
    private long seed = 1;
    private long hopMillis = 60_000;
    private long spanHops = 30;
    private Long originMillis;
    private double nullRate = 0.1;
    private double duplicateRate = 0.25;
    private double boundaryRate = 0.2;
    private double lateRate = 0.1;
    private double extremeRate = 0.02;
    private double nonFiniteRate = 0.0;

    private Builder(ValueType type) {
      this.type = type;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The hop that boundary events align to. Default 1 minute. */
    public Builder hopMillis(long hopMillis) {
      this.hopMillis = hopMillis;
      return this;
    }

    /** Event times span this many hops. Default 30. */
    public Builder spanHops(long spanHops) {
      this.spanHops = spanHops;
      return this;
    }

    /** The earliest event time. Default −5 hops. */
    public Builder originMillis(long originMillis) {
      this.originMillis = originMillis;
      return this;
    }

    /** Probability of a null value. Default 0.1. */
    public Builder nullRate(double rate) {
      this.nullRate = rate;
      return this;
    }

    /** Probability that an event reuses an earlier event time of its entity. Default 0.25. */
    public Builder duplicateRate(double rate) {
      this.duplicateRate = rate;
      return this;
    }

    /** Probability that an event lies on a hop boundary or 1 ms either side. Default 0.2. */
    public Builder boundaryRate(double rate) {
      this.boundaryRate = rate;
      return this;
    }

    /** Probability that an event is ingested one to five hops late. Default 0.1. */
    public Builder lateRate(double rate) {
      this.lateRate = rate;
      return this;
    }

    /** Probability of an extreme LONG or DOUBLE value. Default 0.02; 0 keeps long sums in range. */
    public Builder extremeRate(double rate) {
      this.extremeRate = rate;
      return this;
    }

    /** Probability of NaN or ±∞ among DOUBLE values. Default 0. */
    public Builder nonFiniteRate(double rate) {
      this.nonFiniteRate = rate;
      return this;
    }

    /**
     * @throws IllegalArgumentException if the hop or span is not positive or a rate is out of range
     */
    public RandomEvents build() {
      boolean ratesValid = true;
      for (double rate : new double[] {nullRate, duplicateRate, boundaryRate, lateRate, extremeRate, nonFiniteRate}) {
        ratesValid &= rate >= 0.0 && rate <= 1.0;
      }
      if (hopMillis < 1 || spanHops < 1 || !ratesValid || duplicateRate + boundaryRate > 1.0) {
        throw new IllegalArgumentException("Cannot build random events: hop and span must be ≥ 1, rates"
            + " between 0 and 1, and duplicateRate + boundaryRate ≤ 1");
      }
      return new RandomEvents(this);
    }
  }
}
