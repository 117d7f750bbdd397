package dev.lockstep.bench.online;

import dev.lockstep.api.LockstepException;
import dev.lockstep.core.online.OnlineRuntime;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The Kafka lines of {@link DistributedBenchmark}: a backlog pre-produced to the feed topic and
 * followed into the online store (ingest throughput), and an open-loop producer at fixed rates with
 * {@link ServableProbes} (event → servable latency from the producer's {@code send}) and, as the
 * floor, {@link KafkaEndToEnd} (send → a plain consumer's poll) on the same records; meanwhile the
 * runtime's apply lag (event log → store) is sampled every {@value #LAG_SAMPLE_MILLIS} ms, to tell
 * the time before the event log from the time after it. Events are
 * uniform over {@code cards} cards with event times in the 10 minutes before they are produced.
 */
final class KafkaFeedLines {
  private static final long STATUS_POLL_MILLIS = 20;
  private static final long LAG_SAMPLE_MILLIS = 50;

  private final KafkaFeed feed;
  private final String topic;
  private final int cards;
  private final SplittableRandom random;

  KafkaFeedLines(KafkaFeed feed, String topic, int cards, long seed) {
    this.feed = feed;
    this.topic = topic;
    this.cards = cards;
    this.random = new SplittableRandom(seed);
  }

  /** Produces {@code records} events to the topic with one producer ({@code acks=all}) and waits for every ack. */
  void produceBacklog(long records) throws Exception {
    AtomicReference<Exception> failure = new AtomicReference<>();
    Callback callback = (metadata, e) -> {
      if (e != null) {
        failure.compareAndSet(null, e);
      }
    };
    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = feed.producer(5)) {
      for (long i = 0; i < records; i++) {
        producer.send(record(card(random.nextInt(cards))), callback);
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("Cannot produce the feed's backlog: " + failure.get(), failure.get());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Results.say("Produced %,d records to %s in %.1f s (%,.0f records/s, acks=all)", records, topic, seconds,
        records / seconds);
    Results.emit(DistributedBenchmark.INGEST, "kafka producer, acks=all (the backlog)", "events_per_second",
        records / seconds);
  }

  /**
   * Follows the topic into {@code online} from {@code follow} (which starts following) until all
   * {@code records} events are applied: the time to the follower's last accepted event (topic →
   * Kafka event log) and to the applier's last applied event (→ Redis).
   */
  static void timeIngest(OnlineRuntime online, long records, Runnable follow, double timeoutSeconds) throws Exception {
    long start = System.nanoTime();
    follow.run();
    long deadline = start + (long) (timeoutSeconds * 1e9);
    double acceptedAfter = Double.NaN;
    while (FraudProject.applied(online) < records) {
      if (Double.isNaN(acceptedAfter) && accepted(online) >= records) {
        acceptedAfter = (System.nanoTime() - start) / 1e9;
      }
      if (!online.healthy() || System.nanoTime() > deadline) {
        throw new LockstepException(String.format(Locale.ROOT,
            "Cannot ingest the feed's %,d records: after %.0f s the status is %s", records,
            (System.nanoTime() - start) / 1e9, online.status()));
      }
      Thread.sleep(STATUS_POLL_MILLIS);
    }
    double appliedAfter = (System.nanoTime() - start) / 1e9;
    if (Double.isNaN(acceptedAfter)) {
      acceptedAfter = appliedAfter;
    }
    FraudProject.awaitApplied(online, Duration.ofMinutes(5));
    String row = "kafka topic → lockstep → redis (backlog)";
    Results.say("%s: %,d records accepted into the event log after %.1f s (%,.0f/s), applied after %.1f s"
        + " (%,.0f events/s); status %s", row, records, acceptedAfter, records / acceptedAfter, appliedAfter,
        records / appliedAfter, online.status());
    Results.emit(DistributedBenchmark.INGEST, row, "events_per_second", records / appliedAfter);
    Results.emit(DistributedBenchmark.INGEST, row, "accepted_per_second", records / acceptedAfter);
    Results.emit(DistributedBenchmark.INGEST, row, "seconds", appliedAfter);
  }

  /**
   * Produces at {@code rate} events/s for {@code seconds} (event {@code i} due at {@code start + i /
   * rate}, sent asynchronously so the producer never waits for acks), with probes at {@code
   * probesPerSecond}; then waits up to {@code drainSeconds} for the applier and the probes.
   */
  void servable(OnlineRuntime online, long rate, double seconds, double drainSeconds, long probesPerSecond)
      throws Exception {
    String row = String.format(Locale.ROOT, "kafka producer @%,d events/s", rate);
    AtomicReference<Exception> failure = new AtomicReference<>();
    Callback callback = (metadata, e) -> {
      if (e != null) {
        failure.compareAndSet(null, e);
      }
    };
    ServableProbes probes = new ServableProbes(online.client(), "probe-" + rate + "-" + random.nextInt(1 << 20) + "-",
        probesPerSecond);
    KafkaEndToEnd floor = new KafkaEndToEnd(feed.bootstrapServers(), topic);
    Latencies applyLag = new Latencies();
    long appliedAtStart = FraudProject.applied(online);
    Thread lagSampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        // until this line's first batch is applied, the counter still holds an earlier batch's lag
        if (FraudProject.applied(online) > appliedAtStart) {
          applyLag.recordSynchronized(applyLagMillis(online) * 1_000_000);
        }
        try {
          Thread.sleep(LAG_SAMPLE_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "apply-lag-sampler");
    lagSampler.setDaemon(true);
    long appliedBefore = FraudProject.applied(online);
    long acceptedBefore = accepted(online);
    long sent = 0;
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    double interval = 1e9 / rate;
    lagSampler.start();
    try (KafkaProducer<byte[], byte[]> producer = feed.producer(0)) {
      while (true) {
        long due = start + (long) (sent * interval);
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
          LockSupport.parkNanos(wait);
        }
        if (System.nanoTime() >= deadline) {
          break;
        }
        String probe = probes.due();
        ProducerRecord<byte[], byte[]> record = record(probe == null ? card(random.nextInt(cards)) : probe);
        if (probe != null) {
          probes.pushing(probe, System.nanoTime());
        }
        KafkaEndToEnd.stamp(record.headers());
        producer.send(record, callback);
        sent++;
      }
      producer.flush();
    }
    lagSampler.interrupt();
    lagSampler.join();
    double elapsed = (System.nanoTime() - start) / 1e9;
    long appliedAtStop = FraudProject.applied(online);
    long stopped = System.nanoTime();
    long drainDeadline = stopped + (long) (drainSeconds * 1e9);
    double drained = Double.NaN;
    while (System.nanoTime() < drainDeadline && online.healthy()) {
      if (accepted(online) - acceptedBefore >= sent && FraudProject.applied(online) - appliedBefore >= sent) {
        drained = (System.nanoTime() - stopped) / 1e9;
        break;
      }
      Thread.sleep(5);
    }
    long unresolved = probes.finish(Math.max(1_000, (drainDeadline - System.nanoTime()) / 1_000_000));
    Latencies raw = floor.finish();
    floor.close();
    if (failure.get() != null) {
      throw new IllegalStateException("Cannot produce to " + topic + ": " + failure.get(), failure.get());
    }
    Latencies servable = probes.latencies();
    double achieved = sent / elapsed;
    double applied = (appliedAtStop - appliedBefore) / elapsed;
    Results.say("%-30s %,.0f events/s produced (%,d), %,.0f events/s applied meanwhile; event→servable p50 %.1f ms"
            + " p99 %.1f ms max %.1f ms (%d probes, %d not servable within %.1f s of the stop); apply lag (log → Redis,"
            + " sampled) p50 %.0f ms p99 %.0f ms; %s", row, achieved,
        sent, applied, servable.millis(50), servable.millis(99), servable.maxMillis(), servable.count(), unresolved,
        drainSeconds, applyLag.millis(50), applyLag.millis(99), Double.isNaN(drained) ? "not caught up within " + drainSeconds + " s"
            : String.format(Locale.ROOT, "all applied %.2f s after the last send", drained));
    String section = DistributedBenchmark.SERVABLE;
    Results.emit(section, row, "achieved_per_second", achieved);
    Results.emit(section, row, "applied_per_second", applied);
    Results.emit(section, row, "servable_p50_ms", servable.millis(50));
    Results.emit(section, row, "servable_p99_ms", servable.millis(99));
    Results.emit(section, row, "servable_max_ms", servable.maxMillis());
    Results.emit(section, row, "apply_lag_p50_ms", applyLag.millis(50));
    Results.emit(section, row, "apply_lag_p99_ms", applyLag.millis(99));
    Results.emit(section, row, "probes", servable.count());
    Results.emit(section, row, "probes_not_servable", unresolved);
    if (!Double.isNaN(drained)) {
      Results.emit(section, row, "applied_after_s", drained);
    }
    String rawRow = String.format(Locale.ROOT, "raw kafka send → consumer poll @%,d events/s", rate);
    Results.say("%-30s p50 %.1f ms p99 %.1f ms max %.1f ms (%,d records)", rawRow, raw.millis(50), raw.millis(99),
        raw.maxMillis(), raw.count());
    Results.emit(section, rawRow, "servable_p50_ms", raw.millis(50));
    Results.emit(section, rawRow, "servable_p99_ms", raw.millis(99));
    Results.emit(section, rawRow, "servable_max_ms", raw.maxMillis());
    Results.peer(section, row, rawRow);
  }

  private ProducerRecord<byte[], byte[]> record(String card) {
    long eventTime = System.currentTimeMillis() - 1_000 - random.nextInt(600_000);
    double amount = Math.round(random.nextDouble(1, 500) * 100) / 100.0;
    return new ProducerRecord<>(topic, KafkaFeed.key(card),
        KafkaFeed.json(card, eventTime, amount, "m-" + random.nextInt(1_000), 1 + random.nextInt(5)));
  }

  static String card(int rank) {
    return String.format(Locale.ROOT, "card-%06d", rank);
  }

  static long accepted(OnlineRuntime online) {
    Object status = online.status().get(FraudProject.SOURCE);
    Object accepted = status instanceof Map<?, ?> source ? source.get("accepted") : null;
    return accepted instanceof Number number ? number.longValue() : 0;
  }

  /**
   * The runtime's {@code apply_lag_ms}: when the applier last wrote a batch, how long the batch's
   * first event had been in the event log (its log timestamp to the write to the store).
   */
  static long applyLagMillis(OnlineRuntime online) {
    Object status = online.status().get(FraudProject.SOURCE);
    Object lag = status instanceof Map<?, ?> source ? source.get("apply_lag_ms") : null;
    return lag instanceof Number number ? Math.max(0, number.longValue()) : 0;
  }
}
