package dev.lockstep.core.training;

import dev.lockstep.testkit.fakes.MemoryBatchStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceFormat;
import dev.lockstep.core.drift.FeatureProfile;
import dev.lockstep.core.drift.ServiceProfile;
import dev.lockstep.core.drift.ValueProfiler;
import dev.lockstep.core.internal.Digests;
import dev.lockstep.spi.offline.Column;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A training set built for real writes profile.json, whose numbers match its Parquet read back. */
class TrainingSetProfileTest {
  private static final long MINUTE = 60_000;
  private static final Schema PAYMENTS = Schema.of(
      Column.required("card_id", ValueType.STRING),
      Column.nullable("amount", ValueType.DOUBLE),
      Column.nullable("merchant", ValueType.STRING));
  private static final FeatureView VIEW = FeatureView.builder("card_txn", "payments")
      .aggregate("txn_count_1h", Aggregation.count(), Window.sliding(Duration.ofHours(1)))
      .aggregate("amount_mean", Aggregation.mean("amount"), Window.lifetime())
      .aggregate("merchants_2h", Aggregation.lastK("merchant", 3), Window.sliding(Duration.ofHours(2)))
      .latest("last_merchant", "merchant", null)
      .build();
  private static final List<String> FEATURES =
      List.of("card_txn__txn_count_1h", "card_txn__amount_mean", "card_txn__merchants_2h", "card_txn__last_merchant");

  @TempDir Path work;

  @Test
  void profileJsonMatchesTheDataWrittenAndARebuildGivesTheSameProfile() throws IOException {
    MemoryBatchStore store = store(new SplittableRandom(17), 600);
    Path spine = spine(new SplittableRandom(18), 150);
    TrainingSetJob job = job(store);
    TrainingSetManifest manifest =
        job.run(repository(), 1, TrainingSetOptions.forService("fraud", spine, work.resolve("out")), TrainingSetListener.QUIET);

    ServiceProfile profile = ServiceProfile.read(work.resolve("out"));
    assertThat(profile.service()).isEqualTo("fraud");
    assertThat(profile.rows()).isEqualTo(150);
    assertThat(profile.from()).isEqualTo(manifest.timeRange().from());
    assertThat(profile.features()).extracting(FeatureProfile::name).containsExactlyElementsOf(FEATURES);
    assertThat(profile.features()).extracting(FeatureProfile::type).containsExactly("long", "double", "list<string>", "string");

    List<Group> rows = read(work.resolve("out").resolve(TrainingSetJob.dataFile(0)));
    assertThat(rows).hasSize(150);
    checkNumeric(profile.feature("card_txn__txn_count_1h").orElseThrow(), rows, "card_txn__txn_count_1h", true);
    checkNumeric(profile.feature("card_txn__amount_mean").orElseThrow(), rows, "card_txn__amount_mean", false);
    assertThat(profile.feature("card_txn__amount_mean").orElseThrow().nulls()).isPositive(); // the unknown cards
    assertThat(profile.feature("card_txn__txn_count_1h").orElseThrow().nulls()).isZero(); // count is 0, not null
    checkCategories(profile.feature("card_txn__last_merchant").orElseThrow(), rows, "card_txn__last_merchant", false);
    checkCategories(profile.feature("card_txn__merchants_2h").orElseThrow(), rows, "card_txn__merchants_2h", true);
    assertThat(profile.feature("card_txn__last_merchant").orElseThrow().nulls()).isPositive();
    assertThat(profile.feature("card_txn__merchants_2h").orElseThrow().nulls()).isZero(); // an empty list, not null

    // a rebuild gives the same data and, every sketch holding all its values, the same profile
    job.rebuild(repository(), manifest, work.resolve("again"), TrainingSetListener.QUIET);
    assertThat(Digests.sha256(work.resolve("again").resolve(TrainingSetJob.dataFile(0))))
        .isEqualTo(Digests.sha256(work.resolve("out").resolve(TrainingSetJob.dataFile(0))));
    assertThat(Files.readString(work.resolve("again").resolve(ServiceProfile.FILE_NAME)))
        .isEqualTo(Files.readString(work.resolve("out").resolve(ServiceProfile.FILE_NAME)));
  }

  @Test
  void aLargerTrainingSetProfilesEveryRowInEveryThreadCount() {
    MemoryBatchStore store = store(new SplittableRandom(19), 3000);
    Path spine = spine(new SplittableRandom(20), 2000);
    ServiceProfile one = build(store, spine, "one", 1);
    ServiceProfile two = build(store, spine, "two", 2);
    for (String feature : FEATURES) {
      FeatureProfile a = one.feature(feature).orElseThrow();
      FeatureProfile b = two.feature(feature).orElseThrow();
      // KLL compaction is randomized past k values: everything but the sketch and its quantiles agrees
      assertThat(List.of(a.count(), a.nulls(), a.nans(), a.values(), String.valueOf(a.min()), String.valueOf(a.max()),
              String.valueOf(a.mean()), String.valueOf(a.categories()), String.valueOf(a.other())))
          .as(feature)
          .isEqualTo(List.of(b.count(), b.nulls(), b.nans(), b.values(), String.valueOf(b.min()), String.valueOf(b.max()),
              String.valueOf(b.mean()), String.valueOf(b.categories()), String.valueOf(b.other())));
      assertThat(a.count()).isEqualTo(2000);
    }
    FeatureProfile count = one.feature("card_txn__txn_count_1h").orElseThrow();
    assertThat(count.values()).isGreaterThan(ValueProfiler.K);
    List<Group> rows = read(work.resolve("one").resolve(TrainingSetJob.dataFile(0)));
    double[] sorted = rows.stream().mapToDouble(row -> row.getLong("card_txn__txn_count_1h", 0)).sorted().toArray();
    double median = count.quantiles().get("0.5");
    double rank = (double) Arrays.stream(sorted).filter(value -> value <= median).count() / sorted.length;
    assertThat(rank).isCloseTo(0.5, within(0.05)); // a sketch quantile, within its rank error (and ties)
  }

  private ServiceProfile build(MemoryBatchStore store, Path spine, String out, int threads) {
    job(store).run(repository(), 1, TrainingSetOptions.forService("fraud", spine, work.resolve(out)).withThreads(threads),
        TrainingSetListener.QUIET);
    return ServiceProfile.read(work.resolve(out));
  }

  private TrainingSetJob job(MemoryBatchStore store) {
    return new TrainingSetJob(store, work.resolve("tmp"), getClass().getClassLoader(),
        Clock.fixed(Instant.parse("2024-06-01T00:00:00Z"), ZoneOffset.UTC));
  }

  private static void checkNumeric(FeatureProfile profile, List<Group> rows, String column, boolean isLong) {
    List<Double> values = new ArrayList<>();
    long nulls = 0;
    for (Group row : rows) {
      if (row.getFieldRepetitionCount(column) == 0) {
        nulls++;
      } else {
        values.add(isLong ? (double) row.getLong(column, 0) : row.getDouble(column, 0));
      }
    }
    values.sort(Double::compare);
    assertThat(profile.count()).isEqualTo(rows.size());
    assertThat(profile.nulls()).isEqualTo(nulls);
    assertThat(profile.values()).isEqualTo(values.size());
    assertThat(profile.min()).isEqualTo(values.get(0));
    assertThat(profile.max()).isEqualTo(values.get(values.size() - 1));
    assertThat(profile.mean()).isCloseTo(values.stream().mapToDouble(Double::doubleValue).sum() / values.size(), within(1e-9));
    // at most k values: the sketch is exact, so its quantiles are the data's (inclusive: the
    // smallest value whose rank, the fraction of values at most it, reaches r)
    Map<String, Double> expected = new LinkedHashMap<>();
    String[] keys = {"0", "0.01", "0.05", "0.25", "0.5", "0.75", "0.95", "0.99", "1"};
    for (String key : keys) {
      double r = Double.parseDouble(key);
      int index = Math.max(0, (int) Math.ceil(r * values.size()) - 1);
      expected.put(key, values.get(index));
    }
    assertThat(profile.quantiles()).isEqualTo(expected);
  }

  private static void checkCategories(FeatureProfile profile, List<Group> rows, String column, boolean list) {
    Map<String, Long> counts = new TreeMap<>();
    long nulls = 0;
    for (Group row : rows) {
      if (row.getFieldRepetitionCount(column) == 0) {
        nulls++;
      } else if (list) {
        Group elements = row.getGroup(column, 0);
        for (int i = 0; i < elements.getFieldRepetitionCount("list"); i++) {
          Group element = elements.getGroup("list", i);
          if (element.getFieldRepetitionCount("element") > 0) {
            counts.merge(element.getString("element", 0), 1L, Long::sum);
          }
        }
      } else {
        counts.merge(row.getString(column, 0), 1L, Long::sum);
      }
    }
    assertThat(profile.count()).isEqualTo(rows.size());
    assertThat(profile.nulls()).isEqualTo(nulls);
    assertThat(profile.categories()).isEqualTo(counts);
    assertThat(profile.other()).isZero();
    assertThat(profile.values()).isEqualTo(counts.values().stream().mapToLong(Long::longValue).sum());
  }

  private static MemoryBatchStore store(SplittableRandom random, int events) {
    MemoryBatchStore store = new MemoryBatchStore();
    store.createTable("payments", PAYMENTS);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      long time = random.nextLong(0, 6 * 60) * MINUTE;
      rows.add(Row.of(time, time, i + 1, "c" + random.nextInt(30),
          random.nextInt(6) == 0 ? null : random.nextInt(-400, 4000) / 8.0,
          random.nextInt(6) == 0 ? null : "m" + random.nextInt(12)));
    }
    store.append("payments", rows);
    return store;
  }

  private Path spine(SplittableRandom random, int rows) {
    StringBuilder csv = new StringBuilder("card_id,ts,label\n");
    for (int i = 0; i < rows; i++) {
      String card = random.nextInt(10) == 0 ? "unknown" : "c" + random.nextInt(30);
      csv.append(card).append(',').append(Instant.ofEpochMilli(random.nextLong(-MINUTE, 7 * 60 * MINUTE))).append(",l")
          .append(i).append('\n');
    }
    Path file = work.resolve("spine-" + rows + ".csv");
    try {
      Files.writeString(file, csv);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static FeatureRepository repository() {
    Source source = Source.builder("payments", SourceFormat.CSV)
        .entity("card", "card_id")
        .eventTime("ts")
        .column("card_id", ValueType.STRING)
        .column("amount", ValueType.DOUBLE)
        .column("merchant", ValueType.STRING)
        .build();
    return FeatureRepository.builder()
        .entity(Entity.of("card", "card_id"))
        .source(source)
        .featureView(VIEW)
        .featureService(FeatureService.of("fraud",
            "card_txn:txn_count_1h", "card_txn:amount_mean", "card_txn:merchants_2h", "card_txn:last_merchant"))
        .build();
  }

  private static List<Group> read(Path file) {
    return dev.lockstep.io.ParquetTestFiles.read(file);
  }
}
