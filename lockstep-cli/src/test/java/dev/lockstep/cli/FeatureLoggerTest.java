package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.FeatureStatus;
import dev.lockstep.api.LockstepException;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.ops.parity.FeatureLogger;
import dev.lockstep.ops.parity.LoggedVector;
import dev.lockstep.spi.Backends;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.OutcomeUnknownException;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.spi.offline.Schema;
import dev.lockstep.spi.offline.Snapshot;
import dev.lockstep.spi.offline.SupportsIdempotentAppends;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feature logging into a real Iceberg offline store: every value reads back exactly. */
class FeatureLoggerTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00.123Z");

  @TempDir Path warehouse;
  private OfflineStore iceberg;

  @BeforeEach
  void open() {
    iceberg = Backends.load(OfflineStore.class, "iceberg", Map.of("warehouse", warehouse.toString()));
  }

  @AfterEach
  void close() {
    iceberg.close();
  }

  @Test
  void valuesRoundTripExactly() {
    List<Object> awkward = Arrays.asList(
        null, 0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 9_007_199_254_740_993L,
        0.1 + 0.2, 1.0, -0.0, 0.0, 1e20, 1e-7, 123456789.0, Double.MIN_VALUE, Double.MAX_VALUE,
        Math.nextUp(1.0), Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        "", "null", "1.0", "quote \" backslash \\ tab \t", "caf\u00e9 \ud83d\ude00",
        List.of(), List.of(1L, 2L, 3L), List.of(0.1 + 0.2, 2.0), Arrays.asList("a", null, "c"));
    List<FeatureVector> served = new ArrayList<>();
    for (int i = 0; i < awkward.size(); i++) {
      Map<String, Object> values = new LinkedHashMap<>();
      values.put("card_txn__value", awkward.get(i));
      values.put("card_txn__count", (long) i);
      Map<String, FeatureStatus> statuses = new LinkedHashMap<>();
      statuses.put("card_txn__value", awkward.get(i) == null ? FeatureStatus.NO_DATA : FeatureStatus.PRESENT);
      statuses.put("card_txn__count", FeatureStatus.STALE);
      Map<String, Object> entity = new LinkedHashMap<>();
      entity.put("card_id", "c-" + i);
      entity.put("region", (long) i);
      served.add(new FeatureVector(entity, T0.plusMillis(i), values, statuses));
    }
    try (FeatureLogger logger = FeatureLogger.start(iceberg, 7, Set.of("fraud"))) {
      logger.accept("fraud", served.subList(0, 10));
      logger.accept("other", served);
      logger.accept("fraud", served.subList(10, served.size()));
      logger.flush();
      assertThat(logger.logged()).isEqualTo(served.size());
      assertThat(logger.dropped()).isZero();
    }

    List<LoggedVector> logged = readAll("fraud", Optional.empty(), Optional.empty());
    assertThat(logged).hasSize(served.size());
    for (int i = 0; i < served.size(); i++) {
      LoggedVector read = logged.get(i);
      FeatureVector expected = served.get(i);
      assertThat(read.registryVersion()).isEqualTo(7);
      assertThat(read.sequence()).isEqualTo(i + 1);
      assertThat(read.vector().t()).isEqualTo(expected.t());
      assertThat(read.vector().entity()).containsExactlyEntriesOf(expected.entity());
      assertThat(read.vector().statuses()).containsExactlyEntriesOf(expected.statuses());
      assertThat(read.vector().names()).isEqualTo(expected.names());
      for (String column : expected.names()) {
        assertExactlyEqual(read.vector().value(column), expected.value(column));
      }
    }
    assertThat(iceberg.tables()).contains("fraud__feature_log").doesNotContain("other__feature_log");
    try (CloseableIterator<Row> rows = iceberg.scan("fraud__feature_log", ScanRequest.latest())) {
      while (rows.hasNext()) {
        Row row = rows.next();
        assertThat(row.eventTimeMillis()).isEqualTo(row.value(2));
        assertThat(row.ingestTimeMillis()).isGreaterThanOrEqualTo(row.eventTimeMillis());
      }
    }
  }

  @Test
  void sequencesContinueAndTimesFilter() {
    try (FeatureLogger first = FeatureLogger.start(iceberg, 1, Set.of("fraud"))) {
      first.accept("fraud", List.of(vector(0), vector(1)));
    }
    try (FeatureLogger second = FeatureLogger.start(iceberg, 2, Set.of("fraud"))) {
      second.accept("fraud", List.of(vector(2)));
    }
    List<LoggedVector> all = readAll("fraud", Optional.empty(), Optional.empty());
    assertThat(all).extracting(LoggedVector::sequence).containsExactly(1L, 2L, 3L);
    assertThat(all).extracting(LoggedVector::registryVersion).containsExactly(1L, 1L, 2L);
    assertThat(readAll("fraud", Optional.of(T0.plusMillis(1)), Optional.of(T0.plusMillis(2))))
        .extracting(LoggedVector::sequence).containsExactly(2L);
  }

  @Test
  void theWriterAppendsEverySecondWithoutAFlush() throws Exception {
    try (FeatureLogger logger = FeatureLogger.start(iceberg, 1, Set.of("fraud"))) {
      logger.accept("fraud", List.of(vector(0)));
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (logger.logged() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(logger.logged()).isEqualTo(1);
    }
  }

  @Test
  void aFailedAppendIsRetriedOnceAndAFullQueueCountsDrops() {
    FlakyStore flaky = new FlakyStore((SupportsIdempotentAppends) iceberg);
    FeatureLogger logger = FeatureLogger.start(flaky, 1, Set.of("fraud"));
    try {
      // the commit happens but its outcome is unknown: the retry must not write the rows again
      flaky.mode = FlakyStore.Mode.COMMIT_THEN_UNKNOWN;
      logger.accept("fraud", List.of(vector(0), vector(1)));
      assertThatThrownBy(logger::flush)
          .isInstanceOf(LockstepException.class)
          .hasMessageStartingWith("Cannot append to the feature log fraud__feature_log: ")
          .hasMessageEndingWith("(2 vectors stay buffered and are retried)");
      assertThat(logger.buffered()).isEqualTo(2);

      // while appends fail nothing more is taken from the queue; once full, vectors are dropped
      flaky.mode = FlakyStore.Mode.FAIL;
      List<FeatureVector> many = java.util.Collections.nCopies(FeatureLogger.CAPACITY, vector(2));
      logger.accept("fraud", many);
      long started = System.nanoTime();
      logger.accept("fraud", List.of(vector(3), vector(4)));
      assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(FeatureLogger.OFFER_TIMEOUT_MILLIS * 1_000_000);
      assertThat(logger.dropped()).isEqualTo(2);

      flaky.mode = FlakyStore.Mode.WORK;
      logger.flush();
      assertThat(logger.logged()).isEqualTo(2 + FeatureLogger.CAPACITY);
      assertThat(logger.buffered()).isZero();
    } finally {
      flaky.mode = FlakyStore.Mode.WORK;
      logger.close();
    }
    assertThat(((SupportsIdempotentAppends) iceberg).highestSequence("fraud__feature_log")).isEqualTo(2 + FeatureLogger.CAPACITY);
    try (CloseableIterator<Row> rows = iceberg.scan("fraud__feature_log",
        ScanRequest.latest().withColumns(List.of("t")))) {
      long count = 0;
      while (rows.hasNext()) {
        rows.next();
        count++;
      }
      assertThat(count).isEqualTo(2 + FeatureLogger.CAPACITY);
    }
  }

  private List<LoggedVector> readAll(String service, Optional<Instant> from, Optional<Instant> to) {
    List<LoggedVector> logged = new ArrayList<>();
    try (CloseableIterator<LoggedVector> rows = FeatureLogger.read(iceberg, service, from, to)) {
      rows.forEachRemaining(logged::add);
    }
    logged.sort(Comparator.comparingLong(LoggedVector::sequence));
    return logged;
  }

  private static FeatureVector vector(int i) {
    return new FeatureVector(Map.of("card_id", "c-" + i), T0.plusMillis(i), Map.of("card_txn__count", (long) i),
        Map.of("card_txn__count", FeatureStatus.PRESENT));
  }

  private static void assertExactlyEqual(Object actual, Object expected) {
    if (expected == null) {
      assertThat(actual).isNull();
    } else if (expected instanceof Double number) {
      assertThat(actual).isInstanceOf(Double.class);
      assertThat(Double.doubleToRawLongBits((Double) actual)).isEqualTo(Double.doubleToRawLongBits(number));
    } else if (expected instanceof List<?> list) {
      assertThat(actual).isInstanceOf(List.class);
      List<?> actualList = (List<?>) actual;
      assertThat(actualList).hasSameSizeAs(list);
      for (int i = 0; i < list.size(); i++) {
        assertExactlyEqual(actualList.get(i), list.get(i));
      }
    } else {
      assertThat(actual).isInstanceOf(expected.getClass()).isEqualTo(expected);
    }
  }

  /** The Iceberg store, with appends that fail on demand. */
  private static final class FlakyStore implements SupportsIdempotentAppends {
    enum Mode { WORK, FAIL, COMMIT_THEN_UNKNOWN }

    private final SupportsIdempotentAppends delegate;
    volatile Mode mode = Mode.WORK;

    FlakyStore(SupportsIdempotentAppends delegate) {
      this.delegate = delegate;
    }

    @Override
    public Appended append(String table, Iterable<Row> rows, String commitKey) {
      switch (mode) {
        case FAIL -> throw new BackendException("Cannot append to " + table + ": disk unplugged");
        case COMMIT_THEN_UNKNOWN -> {
          delegate.append(table, rows, commitKey);
          throw new OutcomeUnknownException("Cannot tell whether the commit to " + table + " happened",
              new java.io.IOException("connection reset"));
        }
        default -> {
          return delegate.append(table, rows, commitKey);
        }
      }
    }

    @Override
    public Optional<Snapshot> findCommit(String table, String commitKey) {
      return delegate.findCommit(table, commitKey);
    }

    @Override
    public long highestSequence(String table) {
      return delegate.highestSequence(table);
    }

    @Override
    public void createTable(String table, Schema schema) {
      delegate.createTable(table, schema);
    }

    @Override
    public List<String> tables() {
      return delegate.tables();
    }

    @Override
    public Schema schema(String table) {
      return delegate.schema(table);
    }

    @Override
    public long append(String table, List<Row> rows) {
      return delegate.append(table, rows);
    }

    @Override
    public CloseableIterator<Row> scan(String table, ScanRequest request) {
      return delegate.scan(table, request);
    }

    @Override
    public List<Snapshot> snapshots(String table) {
      return delegate.snapshots(table);
    }

    @Override
    public String name() {
      return "flaky";
    }

    @Override
    public void close() {}
  }
}
