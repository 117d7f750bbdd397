package dev.lockstep.core.training;

import dev.lockstep.testkit.fakes.MemoryBatchStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.FeatureDefinition;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.LatestFeature;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceFormat;
import dev.lockstep.api.definition.WindowedFeature;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.Column;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.Schema;
import dev.lockstep.testkit.oracle.NaiveOracle;
import dev.lockstep.testkit.oracle.OracleEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingSetBuilderTest {
  private static final long MINUTE = 60_000;
  private static final Schema PAYMENTS = Schema.of(
      Column.required("card_id", ValueType.STRING),
      Column.nullable("amount", ValueType.DOUBLE),
      Column.nullable("merchant", ValueType.STRING),
      Column.nullable("items", ValueType.LONG));
  private static final FeatureView VIEW = FeatureView.builder("card_txn", "payments")
      .aggregate("txn_count_10m", Aggregation.count(), Window.sliding(Duration.ofMinutes(10), Duration.ofMinutes(5)))
      .aggregate("amount_sum_1h", Aggregation.sum("amount"), Window.sliding(Duration.ofHours(1)))
      .aggregate("amount_mean", Aggregation.mean("amount"), Window.lifetime())
      .aggregate("items_max_1d", Aggregation.max("items"), Window.sliding(Duration.ofDays(1)))
      .aggregate("merchants_2h", Aggregation.lastK("merchant", 3), Window.sliding(Duration.ofHours(2)))
      .aggregate("amount_var_1h", Aggregation.of(AggregationFunction.VAR_SAMP, "amount"), Window.sliding(Duration.ofHours(1)))
      .aggregate("items_sum_30m", Aggregation.sum("items"), Window.sliding(Duration.ofMinutes(30)))
      .aggregate("first_merchant_1h", Aggregation.of(AggregationFunction.FIRST, "merchant"), Window.sliding(Duration.ofHours(1)))
      .latest("last_amount", "amount", Duration.ofMinutes(20))
      .latest("last_merchant", "merchant", null)
      .build();
  private static final FeatureView BIG = FeatureView.builder("big_txn", "payments")
      .filter("amount > 100 and merchant != 'm3'")
      .aggregate("count_1h", Aggregation.count(), Window.sliding(Duration.ofHours(1)))
      .aggregate("amount_sum_1h", Aggregation.sum("amount"), Window.sliding(Duration.ofHours(1)))
      .build();
  /** No filter, like VIEW, but a max lateness: its events are a group of their own. */
  private static final long PROMPT_LATENESS = 10 * MINUTE;
  private static final FeatureView PROMPT = FeatureView.builder("prompt_txn", "payments")
      .maxLateness(Duration.ofMillis(PROMPT_LATENESS))
      .freshness(Duration.ofMinutes(1))
      .aggregate("count_1h", Aggregation.count(), Window.sliding(Duration.ofHours(1)))
      .aggregate("amount_sum_1h", Aggregation.sum("amount"), Window.sliding(Duration.ofHours(1)))
      .aggregate("merchants_2h", Aggregation.lastK("merchant", 3), Window.sliding(Duration.ofHours(2)))
      .latest("last_amount", "amount", Duration.ofMinutes(20))
      .build();

  @TempDir Path work;

  @Test
  void matchesTheOracleWhateverTheThreadsAndPartitions() {
    SplittableRandom random = new SplittableRandom(7);
    MemoryBatchStore store = new MemoryBatchStore();
    store.createTable("payments", PAYMENTS);
    List<Row> events = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      long eventTime = random.nextLong(0, 6 * 60) * MINUTE + (random.nextInt(3) == 0 ? 0 : random.nextLong(MINUTE));
      long ingestTime = eventTime + (random.nextInt(5) == 0 ? random.nextLong(30 * MINUTE) : 0);
      events.add(Row.of(eventTime, ingestTime, i + 1,
          "c" + random.nextInt(25),
          random.nextInt(8) == 0 ? null : random.nextInt(-400, 4000) / 8.0,
          random.nextInt(8) == 0 ? null : "m" + random.nextInt(12),
          random.nextInt(8) == 0 ? null : (long) random.nextInt(10)));
    }
    for (int i = 0; i < 200; i++) {
      // exactly max_lateness late (counts for PROMPT) and one millisecond more (does not)
      long eventTime = random.nextLong(0, 6 * 60) * MINUTE + random.nextLong(MINUTE);
      events.add(Row.of(eventTime, eventTime + PROMPT_LATENESS + i % 2, events.size() + 1,
          "c" + random.nextInt(25), random.nextInt(-400, 4000) / 8.0, "m" + random.nextInt(12),
          (long) random.nextInt(10)));
    }
    store.append("payments", events);
    List<Object[]> spine = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      String card = random.nextInt(40) == 0 ? "unknown" : "c" + random.nextInt(25);
      long t = random.nextBoolean()
          ? events.get(random.nextInt(events.size())).eventTimeMillis()
          : random.nextLong(-MINUTE, 7 * 60 * MINUTE);
      spine.add(new Object[] {card, t, "label-" + i});
    }
    for (PointInTimeMode mode : PointInTimeMode.values()) {
      List<Object[]> single = build(store, spine, mode, 1, Long.MAX_VALUE / 4, TrainingSetBuilder.PART_ROWS);
      List<Object[]> partitioned = build(store, spine, mode, 2, 1, 97);
      assertThat(partitioned).hasSize(spine.size());
      for (int row = 0; row < spine.size(); row++) {
        Object[] expected = oracleRow(events, spine.get(row), mode);
        assertThat(single.get(row)).as("row %d, one thread", row).containsExactly(expected);
        assertThat(partitioned.get(row)).as("row %d, partitioned", row).containsExactly(expected);
      }
    }
  }

  @Test
  void aLateEventCountsOnlyForViewsWithoutMaxLateness() {
    FeatureView all = FeatureView.builder("all_txn", "payments")
        .aggregate("count_1h", Aggregation.count(), Window.sliding(Duration.ofHours(1)))
        .latest("last_amount", "amount", null)
        .build();
    FeatureView prompt = FeatureView.builder("prompt_txn", "payments")
        .maxLateness(Duration.ofMinutes(10))
        .aggregate("count_1h", Aggregation.count(), Window.sliding(Duration.ofHours(1)))
        .latest("last_amount", "amount", null)
        .build();
    FeatureRepository repository = FeatureRepository.builder()
        .entity(Entity.of("card", "card_id"))
        .source(payments())
        .featureView(all)
        .featureView(prompt)
        .featureService(FeatureService.of("fraud", "all_txn:count_1h", "all_txn:last_amount",
            "prompt_txn:count_1h", "prompt_txn:last_amount"))
        .build();
    MemoryBatchStore store = new MemoryBatchStore();
    store.createTable("payments", PAYMENTS);
    long start = 600 * MINUTE;
    store.append("payments", List.of(
        Row.of(start, start, 1, "c1", 1.0, "m1", 1L),
        Row.of(start + 5 * MINUTE, start + 15 * MINUTE, 2, "c1", 2.0, "m1", 1L), // 10m late
        Row.of(start + 10 * MINUTE, start + 30 * MINUTE, 3, "c1", 3.0, "m1", 1L))); // 20m late
    List<Object[]> spine = List.<Object[]>of(new Object[] {"c1", start + 40 * MINUTE, "a"});

    for (PointInTimeMode mode : PointInTimeMode.values()) {
      List<Object[]> rows = new ArrayList<>();
      TrainingSetBuilder.forService(store, repository, "fraud").mode(mode).workDirectory(work)
          .build(spine(spine, List.of("card_id", "ts", "label")), (part, columns) ->
              new TrainingSetSink() {
                @Override
                public void write(Object[] spineRow, Object[] features) {
                  rows.add(features.clone());
                }

                @Override
                public void close() {}
              });
      assertThat(rows).as("mode %s", mode).containsExactly(new Object[] {3L, 3.0, 2L, 2.0});
    }
  }

  @Test
  void refusesASpineWithoutTheJoinKey() {
    MemoryBatchStore store = new MemoryBatchStore();
    store.createTable("payments", PAYMENTS);
    store.append("payments", List.of(Row.of(1, 1, 1, "c1", 1.0, "m", 1L)));
    TrainingSetBuilder builder = TrainingSetBuilder.forService(store, repository(), "fraud").workDirectory(work);
    assertThatThrownBy(() -> builder.build(spine(List.of(), List.of("card", "ts", "label")), (part, columns) -> null))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessage("Cannot build a training set: the spine has no column 'card_id', the join key of entity card"
            + " (the spine has card, ts, label)");
  }

  private List<Object[]> build(MemoryBatchStore store, List<Object[]> spine, PointInTimeMode mode, int threads, long budget,
      int partRows) {
    java.util.SortedMap<Integer, List<Object[]>> parts = java.util.Collections.synchronizedSortedMap(new java.util.TreeMap<>());
    TrainingSetResult result = TrainingSetBuilder.forService(store, repository(), "fraud")
        .mode(mode)
        .threads(threads)
        .memoryBudget(budget)
        .workDirectory(work)
        .partRows(partRows)
        .build(spine(spine, List.of("card_id", "ts", "label")), (part, columns) -> new TrainingSetSink() {
          private final List<Object[]> output = new ArrayList<>();

          @Override
          public void write(Object[] spineRow, Object[] features) {
            Object[] row = new Object[features.length + 1];
            row[0] = spineRow[2];
            System.arraycopy(features, 0, row, 1, features.length);
            output.add(row);
          }

          @Override
          public void close() {
            parts.put(part, output);
          }
        });
    assertThat(result.rows()).isEqualTo(spine.size());
    assertThat(parts.keySet()).hasSize((spine.size() + partRows - 1) / partRows);
    List<Object[]> output = new ArrayList<>();
    parts.values().forEach(output::addAll);
    if (budget == 1) {
      assertThat(result.partitions()).isGreaterThan(1);
    }
    return output;
  }

  private static Source payments() {
    return Source.builder("payments", SourceFormat.CSV)
        .entity("card", "card_id")
        .eventTime("ts")
        .column("card_id", ValueType.STRING)
        .column("amount", ValueType.DOUBLE)
        .column("merchant", ValueType.STRING)
        .column("items", ValueType.LONG)
        .build();
  }

  private static FeatureRepository repository() {
    Source source = payments();
    List<String> references = new ArrayList<>(VIEW.features().stream().map(feature -> "card_txn:" + feature.name()).toList());
    references.add(1, "big_txn:count_1h");
    references.add("big_txn:amount_sum_1h");
    PROMPT.features().forEach(feature -> references.add("prompt_txn:" + feature.name()));
    return FeatureRepository.builder()
        .entity(Entity.of("card", "card_id"))
        .source(source)
        .featureView(VIEW)
        .featureView(BIG)
        .featureView(PROMPT)
        .featureService(FeatureService.of("fraud", references.toArray(String[]::new)))
        .build();
  }

  private static SpineInput spine(List<Object[]> rows, List<String> columns) {
    return new SpineInput() {
      @Override
      public List<String> columns() {
        return columns;
      }

      @Override
      public CloseableIterator<Object[]> open() {
        return CloseableIterator.of(rows.iterator());
      }

      @Override
      public long timeMillis(Object[] row) {
        return (Long) row[1];
      }
    };
  }

  private static Object[] oracleRow(List<Row> events, Object[] spineRow, PointInTimeMode mode) {
    String card = (String) spineRow[0];
    long t = (Long) spineRow[1];
    List<Row> mine = events.stream().filter(event -> event.value(0).equals(card)).toList();
    List<Object> row = new ArrayList<>();
    row.add(spineRow[2]);
    List<Row> big = mine.stream()
        .filter(event -> event.value(1) != null && (Double) event.value(1) > 100 && event.value(2) != null && !"m3".equals(event.value(2))) // SQL: null != x is not true
        .toList();
    List<Object> bigValues = new ArrayList<>();
    for (FeatureDefinition feature : BIG.features()) {
      bigValues.add(windowed(big, (WindowedFeature) feature, mode, t));
    }
    row.addAll(values(VIEW, mine, mode, t));
    row.add(2, bigValues.get(0));
    row.add(bigValues.get(1));
    // max_lateness 10m: an event counts when ingest_time - event_time <= 10m
    List<Row> prompt = mine.stream()
        .filter(event -> event.ingestTimeMillis() - event.eventTimeMillis() <= PROMPT_LATENESS)
        .toList();
    row.addAll(values(PROMPT, prompt, mode, t));
    return row.toArray();
  }

  private static List<Object> values(FeatureView view, List<Row> events, PointInTimeMode mode, long t) {
    List<Object> values = new ArrayList<>();
    for (FeatureDefinition feature : view.features()) {
      if (feature instanceof WindowedFeature windowed) {
        values.add(windowed(events, windowed, mode, t));
      } else if (feature instanceof LatestFeature latest) {
        Row best = null;
        for (Row event : events) {
          boolean visible = event.eventTimeMillis() < t
              && (mode == PointInTimeMode.EVENT_TIME || event.ingestTimeMillis() < t);
          if (visible && (best == null || later(event, best))) {
            best = event;
          }
        }
        boolean expired = best != null && latest.ttl().isPresent()
            && t - best.eventTimeMillis() > latest.ttl().get().toMillis();
        values.add(best == null || expired ? null : best.value(PAYMENTS.position(latest.column())));
      }
    }
    return values;
  }

  private static Object windowed(List<Row> events, WindowedFeature windowed, PointInTimeMode mode, long t) {
    String column = windowed.aggregation().column();
    int position = column == null ? 1 : PAYMENTS.position(column);
    ValueType type = column == null ? null : PAYMENTS.column(column).type();
    List<OracleEvent> oracleEvents = events.stream()
        .map(event -> new OracleEvent(event.eventTimeMillis(), event.ingestTimeMillis(), event.sequence(),
            column == null ? null : event.value(position)))
        .toList();
    return NaiveOracle.evaluate(windowed.aggregation(), type, windowed.window(), mode, oracleEvents, t);
  }

  private static boolean later(Row a, Row b) {
    if (a.eventTimeMillis() != b.eventTimeMillis()) {
      return a.eventTimeMillis() > b.eventTimeMillis();
    }
    if (a.ingestTimeMillis() != b.ingestTimeMillis()) {
      return a.ingestTimeMillis() > b.ingestTimeMillis();
    }
    return a.sequence() > b.sequence();
  }
}
