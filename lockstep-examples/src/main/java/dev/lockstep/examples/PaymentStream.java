package dev.lockstep.examples;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/** One pass over a {@link PaymentsGenerator}'s payments; see there for the distributions. */
final class PaymentStream implements Iterator<Payment> {
  private static final long MINUTE = 60_000L;
  private static final double MEAN_ON_TIME_DELAY_MILLIS = 400.0;
  private static final double LOG_MEDIAN_AMOUNT = StrictMath.log(35.0);
  private static final double LOG_AMOUNT_SIGMA = 1.1;
  private static final double MERCHANT_SKEW = 2.0;
  private static final double MORE_ITEMS_PROBABILITY = 0.35;
  private static final int MAX_ITEMS = 20;

  private final PaymentsGenerator options;
  private final SplittableRandom random;
  private final int cardDigits;
  private final int merchantDigits;
  private long next;
  private Payment previous;

  PaymentStream(PaymentsGenerator options) {
    this.options = options;
    this.random = new SplittableRandom(options.seed);
    this.cardDigits = String.valueOf(options.cards - 1).length();
    this.merchantDigits = String.valueOf(options.merchants - 1).length();
  }

  @Override
  public boolean hasNext() {
    return next < options.events;
  }

  @Override
  public Payment next() {
    if (!hasNext()) {
      throw new NoSuchElementException("All " + options.events + " payments were generated");
    }
    long sequence = next++;
    long ingestTime = options.startMillis + ingestOffset(sequence);
    String cardId;
    long eventTime;
    if (previous != null && random.nextDouble() < options.duplicateTimestampRate) {
      // a split payment: same card and event time as the one before, arriving with it or just after
      cardId = previous.cardId();
      eventTime = previous.eventTime();
      ingestTime = random.nextBoolean() ? previous.ingestTime() : ingestTime;
    } else {
      cardId = id("card-", skewedRank(options.cards, options.cardSkew), cardDigits);
      eventTime = Math.max(options.startMillis, ingestTime - delay());
    }
    Double amount = random.nextDouble() < options.amountNullRate ? null : amount();
    String merchant = random.nextDouble() < options.merchantNullRate
        ? null
        : id("merchant-", skewedRank(options.merchants, MERCHANT_SKEW), merchantDigits);
    previous = new Payment(cardId, eventTime, ingestTime, sequence, amount, merchant, items());
    return previous;
  }

  /** Evenly spread, non-decreasing offsets in {@code [0, span)}. */
  private long ingestOffset(long index) {
    long offset = (long) ((double) index * options.spanMillis / options.events);
    return Math.min(offset, options.spanMillis - 1);
  }

  /** Mostly an exponential fraction of a second; sometimes between 1 minute and the max lateness. */
  private long delay() {
    if (random.nextDouble() < options.lateRate) {
      return random.nextLong(MINUTE, options.maxLatenessMillis + 1);
    }
    return Math.round(-MEAN_ON_TIME_DELAY_MILLIS * StrictMath.log(1.0 - random.nextDouble()));
  }

  /** {@code floor(n · u^skew)}: rank 0 is the most frequent. */
  private int skewedRank(int n, double skew) {
    return Math.min(n - 1, (int) (n * StrictMath.pow(random.nextDouble(), skew)));
  }

  /** Log-normal, rounded to cents, at least 0.01. */
  private double amount() {
    double value = StrictMath.exp(LOG_MEDIAN_AMOUNT + LOG_AMOUNT_SIGMA * gaussian());
    return Math.max(1, Math.round(value * 100)) / 100.0;
  }

  /** Box–Muller with StrictMath, so the values are the same on every JVM. */
  private double gaussian() {
    double radius = StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - random.nextDouble()));
    return radius * StrictMath.cos(2.0 * StrictMath.PI * random.nextDouble());
  }

  /** 1 plus a geometric count, capped. */
  private long items() {
    long items = 1;
    while (items < MAX_ITEMS && random.nextDouble() < MORE_ITEMS_PROBABILITY) {
      items++;
    }
    return items;
  }

  private static String id(String prefix, int rank, int digits) {
    String number = Integer.toString(rank);
    StringBuilder id = new StringBuilder(prefix.length() + digits).append(prefix);
    for (int i = number.length(); i < digits; i++) {
      id.append('0');
    }
    return id.append(number).toString();
  }
}
