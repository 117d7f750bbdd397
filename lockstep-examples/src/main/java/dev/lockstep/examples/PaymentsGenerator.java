package dev.lockstep.examples;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A deterministic synthetic payments stream for the reference fraud scenario.
 *
 * <p>Payments come out in ingest order, which is the order a live stream delivers them: ingest
 * times are spread evenly over {@code [start, start + span)} and never decrease, and sequence
 * numbers count up from 0. Each payment's event time precedes its ingest time by a delay that is
 * usually a fraction of a second and, for a fraction {@link Builder#lateRate} of payments, between
 * one minute and {@link Builder#maxLateness}; event times are clamped to be ≥ start. With
 * probability {@link Builder#duplicateTimestampRate} a payment is split: it repeats the card and
 * event time of the payment before it, and half of the time its ingest time too, so that only the
 * sequence orders them. Cards are skewed: card rank r is drawn as
 * {@code floor(cards · u^skew)} for uniform u, so low ranks are much busier (a skew of 1 is
 * uniform). Amounts are log-normal (median about 35.00), rounded to cents.
 *
 * <p>The same options always give the same payments, on every JVM: all randomness comes from one
 * {@link java.util.SplittableRandom} seeded with {@link Builder#seed}, and the transcendental
 * functions are {@link StrictMath}'s. Iterating holds nothing but the previous payment in memory,
 * so streams of hundreds of millions of payments are fine.
 */
public final class PaymentsGenerator implements Iterable<Payment> {
  /** Largest number of payments {@link #toList()} agrees to hold in memory. */
  public static final long MAX_LIST_SIZE = 20_000_000L;

  final long seed;
  final long events;
  final int cards;
  final int merchants;
  final long startMillis;
  final long spanMillis;
  final double amountNullRate;
  final double merchantNullRate;
  final double lateRate;
  final long maxLatenessMillis;
  final double duplicateTimestampRate;
  final double cardSkew;

  private PaymentsGenerator(Builder builder) {
    this.seed = builder.seed;
    this.events = builder.events;
    this.cards = builder.cards;
    this.merchants = builder.merchants;
    this.startMillis = builder.start.toEpochMilli();
    this.spanMillis = builder.span.toMillis();
    this.amountNullRate = builder.amountNullRate;
    this.merchantNullRate = builder.merchantNullRate;
    this.lateRate = builder.lateRate;
    this.maxLatenessMillis = builder.maxLateness.toMillis();
    this.duplicateTimestampRate = builder.duplicateTimestampRate;
    this.cardSkew = builder.cardSkew;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The number of payments generated. */
  public long events() {
    return events;
  }

  /** The number of distinct cards payments are drawn from. */
  public int cards() {
    return cards;
  }

  /** A fresh pass over all payments, in ingest order; every call starts from the beginning. */
  @Override
  public Iterator<Payment> iterator() {
    return new PaymentStream(this);
  }

  /** All payments in ingest order, as a sequential stream. */
  public Stream<Payment> stream() {
    return StreamSupport.stream(
        Spliterators.spliterator(iterator(), events, Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  /**
   * All payments in ingest order, in memory; for small streams.
   *
   * @throws IllegalStateException if there are more than {@link #MAX_LIST_SIZE} payments
   */
  public List<Payment> toList() {
    if (events > MAX_LIST_SIZE) {
      throw new IllegalStateException(
          "Cannot hold " + events + " payments in a list: the limit is " + MAX_LIST_SIZE
              + " (iterate with forEach() or iterator() instead)");
    }
    List<Payment> payments = new ArrayList<>((int) events);
    forEach(payments::add);
    return payments;
  }

  /** Options, each with a default fit for a quick test. */
  public static final class Builder {
    private long seed = 1;
    private long events = 10_000;
    private int cards = 1_000;
    private int merchants = 500;
    private Instant start = Instant.parse("2024-01-01T00:00:00Z");
    private Duration span = Duration.ofDays(60);
    private double amountNullRate = 0.01;
    private double merchantNullRate = 0.02;
    private double lateRate = 0.02;
    private Duration maxLateness = Duration.ofHours(6);
    private double duplicateTimestampRate = 0.05;
    private double cardSkew = 3.0;

    private Builder() {}

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Number of payments, ≥ 0. Default 10,000. */
    public Builder events(long events) {
      this.events = events;
      return this;
    }

    /** Number of cards, ≥ 1. Default 1,000. */
    public Builder cards(int cards) {
      this.cards = cards;
      return this;
    }

    /** Size of the merchant pool, ≥ 1. Default 500. */
    public Builder merchants(int merchants) {
      this.merchants = merchants;
      return this;
    }

    /** First ingest time. Default 2024-01-01T00:00:00Z. */
    public Builder start(Instant start) {
      this.start = start;
      return this;
    }

    /** Ingest times cover {@code [start, start + span)}. Default 60 days. */
    public Builder span(Duration span) {
      this.span = span;
      return this;
    }

    /** Probability that an amount is null. Default 0.01. */
    public Builder amountNullRate(double rate) {
      this.amountNullRate = rate;
      return this;
    }

    /** Probability that a merchant is null. Default 0.02. */
    public Builder merchantNullRate(double rate) {
      this.merchantNullRate = rate;
      return this;
    }

    /** Probability that a payment arrives between 1 minute and {@link #maxLateness} late. Default 0.02. */
    public Builder lateRate(double rate) {
      this.lateRate = rate;
      return this;
    }

    /** Longest ingest delay, at least 1 minute. Default 6 hours. */
    public Builder maxLateness(Duration maxLateness) {
      this.maxLateness = maxLateness;
      return this;
    }

    /** Probability that a payment repeats the previous payment's card and event time. Default 0.05. */
    public Builder duplicateTimestampRate(double rate) {
      this.duplicateTimestampRate = rate;
      return this;
    }

    /** How much busier low-rank cards are, ≥ 1; 1 is uniform. Default 3. */
    public Builder cardSkew(double skew) {
      this.cardSkew = skew;
      return this;
    }

    /**
     * @throws IllegalArgumentException if an option is out of range
     */
    public PaymentsGenerator build() {
      check(events >= 0, "events must be ≥ 0, not " + events);
      check(cards >= 1 && merchants >= 1, "cards and merchants must be ≥ 1");
      check(start != null && span != null && maxLateness != null, "start, span and maxLateness are required");
      check(span.toMillis() >= 1, "span must be at least 1 ms, not " + span);
      check(maxLateness.compareTo(Duration.ofMinutes(1)) >= 0, "maxLateness must be at least 1 minute");
      check(cardSkew >= 1.0, "cardSkew must be ≥ 1, not " + cardSkew);
      for (double rate : new double[] {amountNullRate, merchantNullRate, lateRate, duplicateTimestampRate}) {
        check(rate >= 0.0 && rate <= 1.0, "rates must be between 0 and 1, not " + rate);
      }
      return new PaymentsGenerator(this);
    }

    private static void check(boolean condition, String reason) {
      if (!condition) {
        throw new IllegalArgumentException("Cannot build the payments generator: " + reason);
      }
    }
  }
}
