package dev.lockstep.bench.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.var_samp;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The Spark peer of the training-set benchmark: the 20-feature fraud set (count, sum, mean, max and
 * var_samp of amount over 1 h, 1 d, 7 d and 30 d with the default hops 1 min, 5 min, 1 h, 1 d — the
 * same features and column names as Lockstep's {@code PaymentsFixture.twentyFeatures()}) at every
 * spine row, EVENT_TIME mode, as a DataFrame job in {@code local[2]}, written as Parquet under
 * {@code --out DIR} ordered by row id.
 *
 * <p>Usage: {@code --events-parquet F --spine-parquet F --out DIR --work DIR}. On success it prints
 * one JSON line on stdout: {@code {"system":"spark","job_ms":..,"rows":..,"vm_hwm_kb":..}}, with the
 * job's wall time from the start of main (Spark session start-up included) and the process's peak
 * resident set size. Run it with {@code java -cp target/classes:$(cat target/classpath.txt)}.
 *
 * <p>Formulation. docs/architecture.md "Semantics"'s window at t is {@code [floor_H(t − W), t)}; for these windows H
 * divides W, so that is {@code [floor_H(t) − W, floor_H(t))}, whole hop tiles (the body), plus
 * {@code [floor_H(t), t)} (the head). Spark only has RANGE frames with constant offsets, so each
 * part is one: the body orders a card's events and spine rows by tile start,
 * {@code RANGE BETWEEN W PRECEDING AND H PRECEDING}; the head partitions by (card, tile), orders by
 * time, {@code RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING}. Spine rows carry no value and
 * are not counted. The two parts are combined: counts and sums add, max is the greater, and the
 * variance merges (n, mean, M2) pairs (Chan et al.). Values are Spark's own doubles, not exact.
 */
public final class SparkTrainingSet {
  private record SlidingWindow(String suffix, long sizeMillis, long hopMillis) {}

  private static final List<SlidingWindow> WINDOWS = List.of(
      new SlidingWindow("1h", 3_600_000L, 60_000L),
      new SlidingWindow("1d", 86_400_000L, 300_000L),
      new SlidingWindow("7d", 604_800_000L, 3_600_000L),
      new SlidingWindow("30d", 2_592_000_000L, 86_400_000L));

  private SparkTrainingSet() {}

  public static void main(String[] args) throws IOException {
    long start = System.nanoTime();
    Map<String, String> options = parse(args);
    Path out = Path.of(options.get("out"));
    Path work = Path.of(options.get("work"));
    Files.createDirectories(work);
    SparkSession spark = SparkSession.builder()
        .master("local[2]")
        .appName("lockstep-bench-training-set")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "16")
        .config("spark.local.dir", work.toAbsolutePath().toString())
        .getOrCreate();
    try {
      spark.sparkContext().setLogLevel("WARN");
      Dataset<Row> result = trainingSet(spark, options.get("events-parquet"), options.get("spine-parquet"));
      result.write().mode(SaveMode.Overwrite).option("compression", "zstd").parquet(out.toAbsolutePath().toString());
      long rows = spark.read().parquet(out.toAbsolutePath().toString()).count();
      long jobMillis = (System.nanoTime() - start) / 1_000_000;
      System.out.println(String.format(Locale.ROOT, "{\"system\":\"spark\",\"job_ms\":%d,\"rows\":%d,\"vm_hwm_kb\":%d}",
          jobMillis, rows, peakResidentKilobytes()));
      System.out.flush();
    } finally {
      spark.stop();
    }
  }

  static Dataset<Row> trainingSet(SparkSession spark, String eventsPath, String spinePath) {
    Dataset<Row> events = spark.read().parquet(eventsPath).select(
        col("card_id"), col("event_time").as("time"), col("amount"), lit(1).as("event"),
        lit(null).cast("long").as("row_id"), lit(null).cast("long").as("ts"), lit(null).cast("int").as("label"));
    Dataset<Row> spine = spark.read().parquet(spinePath).select(
        col("card_id"), col("ts").as("time"), lit(null).cast("double").as("amount"), lit(null).cast("int").as("event"),
        col("row_id"), col("ts"), col("label"));
    Dataset<Row> stream = events.unionByName(spine);
    List<Column> output = new ArrayList<>(List.of(col("row_id"), col("card_id"), col("ts"), col("label")));
    for (SlidingWindow window : WINDOWS) {
      String s = window.suffix();
      String tile = "tile_" + s;
      stream = stream.withColumn(tile, col("time").minus(pmod(col("time"), lit(window.hopMillis()))));
      WindowSpec body = Window.partitionBy("card_id").orderBy(tile)
          .rangeBetween(-window.sizeMillis(), -window.hopMillis());
      WindowSpec head = Window.partitionBy(col("card_id"), col(tile)).orderBy("time")
          .rangeBetween(Window.unboundedPreceding(), -1);
      stream = partial(stream, "b_" + s, body);
      stream = partial(stream, "h_" + s, head);
      output.addAll(combine(s, "b_" + s, "h_" + s));
    }
    return stream.where(col("row_id").isNotNull()).select(output.toArray(Column[]::new)).orderBy("row_id");
  }

  /** Count, non-null count, sum, max and sample variance of the frame, as columns {@code p_*}. */
  private static Dataset<Row> partial(Dataset<Row> stream, String p, WindowSpec frame) {
    return stream
        .withColumn(p + "_events", count(col("event")).over(frame))
        .withColumn(p + "_n", count(col("amount")).over(frame))
        .withColumn(p + "_sum", sum(col("amount")).over(frame))
        .withColumn(p + "_max", max(col("amount")).over(frame))
        .withColumn(p + "_var", var_samp(col("amount")).over(frame));
  }

  /** The five features of one window from its body and head partials. */
  private static List<Column> combine(String s, String b, String h) {
    Column n1 = col(b + "_n").cast("double");
    Column n2 = col(h + "_n").cast("double");
    Column n = n1.plus(n2);
    Column sum1 = when(col(b + "_n").gt(0), col(b + "_sum")).otherwise(lit(0.0));
    Column sum2 = when(col(h + "_n").gt(0), col(h + "_sum")).otherwise(lit(0.0));
    Column total = sum1.plus(sum2);
    // M2 = (n − 1) · var_samp; 0 for a single value; absent for none
    Column m2First = when(col(b + "_n").gt(1), col(b + "_var").multiply(n1.minus(1))).otherwise(lit(0.0));
    Column m2Second = when(col(h + "_n").gt(1), col(h + "_var").multiply(n2.minus(1))).otherwise(lit(0.0));
    Column delta = when(col(b + "_n").gt(0).and(col(h + "_n").gt(0)), sum2.divide(n2).minus(sum1.divide(n1)))
        .otherwise(lit(0.0));
    Column m2 = m2First.plus(m2Second).plus(delta.multiply(delta).multiply(n1).multiply(n2).divide(n));
    return List.of(
        col(b + "_events").plus(col(h + "_events")).as("txn_count_" + s),
        total.as("amount_sum_" + s),
        when(n.gt(0), total.divide(n)).as("amount_mean_" + s),
        greatest(col(b + "_max"), col(h + "_max")).as("amount_max_" + s),
        when(n.geq(2), m2.divide(n.minus(1))).as("amount_var_" + s));
  }

  private static Map<String, String> parse(String[] args) {
    List<String> known = List.of("events-parquet", "spine-parquet", "out", "work");
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length && args[i].startsWith("--") && known.contains(args[i].substring(2)); i += 2) {
      options.put(args[i].substring(2), args[i + 1]);
    }
    if (!options.keySet().containsAll(known) || args.length != 2 * known.size()) {
      throw new IllegalArgumentException("Cannot run SparkTrainingSet: expected --events-parquet F --spine-parquet F"
          + " --out DIR --work DIR, got " + List.of(args));
    }
    return options;
  }

  /** VmHWM from {@code /proc/self/status}, in kB; -1 where there is no such file. */
  private static long peakResidentKilobytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.substring(6).replace("kB", "").trim());
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
