package dev.lockstep.bench.trainingset;

import dev.lockstep.bench.PaymentsFixture;
import dev.lockstep.engine.sweep.FeatureSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The training-set benchmark: the 20-feature fraud set over the same Parquet files with Lockstep,
 * DuckDB and Spark, each run in its own JVM, side by side as ratios.
 *
 * <p>Usage, from the repository root after {@code mvn -B package -DskipTests}:
 * <pre>
 * java -cp lockstep-bench/target/benchmarks.jar dev.lockstep.bench.trainingset.TrainingSetBenchmark \
 *     --events 1000000 --runs 3 --systems lockstep,duckdb,spark --dir /tmp/trainingset
 * </pre>
 * Options: {@code --seed S} (default 1), {@code --spark-module DIR} (default
 * {@code lockstep-bench-spark}, whose {@code target/classes} and {@code target/classpath.txt} make
 * the Spark job's classpath), {@code --sample N} (rows compared across systems, default 10,000),
 * {@code --exact false} to skip the exact reference.
 *
 * <p>The data is generated once per size and seed ({@link TrainingSetData}) and cached under DIR.
 * Each run is a child JVM ({@code java} of this JVM's {@code java.home}, {@code -Xmx4g}) that prints
 * one {@link JobReport} line: the job's own wall time and its peak resident memory (VmHWM). The
 * report gives medians, ratios to Lockstep (above 1: slower or larger than Lockstep), the row count
 * of each output against the spine, and, on a sample of rows, the largest relative difference per
 * feature between each system and the exact values ({@link ExactReference}: the naive oracle,
 * exact arithmetic rounded once, cached beside the data), or with {@code --exact false} the first
 * system that succeeded. A failed run is reported with the tail of its log and ends that system's
 * runs.
 */
public final class TrainingSetBenchmark {
  private static final Map<String, String> MAIN_CLASSES = Map.of(
      "lockstep", "dev.lockstep.bench.trainingset.LockstepTrainingSet",
      "duckdb", "dev.lockstep.bench.trainingset.DuckDbTrainingSet",
      "spark", "dev.lockstep.bench.spark.SparkTrainingSet");
  private static final Pattern REPORT = Pattern.compile(
      "\\{\"system\":\"[^\"]*\",\"job_ms\":(\\d+),\"rows\":(\\d+),\"vm_hwm_kb\":(-?\\d+)}");

  private record Run(long jobMillis, long processMillis, long rows, long peakKilobytes) {}

  private TrainingSetBenchmark() {}

  public static void main(String[] args) throws Exception {
    Args options = Args.parse("TrainingSetBenchmark", args,
        Set.of("events", "runs", "systems", "dir", "seed", "spark-module", "sample", "exact"));
    long events = options.number("events", 1_000_000);
    long runs = options.number("runs", 3);
    List<String> systems = Arrays.stream(options.string("systems", "lockstep,duckdb,spark").split(","))
        .map(String::trim).filter(system -> !system.isEmpty()).toList();
    for (String system : systems) {
      if (!MAIN_CLASSES.containsKey(system)) {
        throw new IllegalArgumentException("Cannot run system '" + system + "': use some of " + MAIN_CLASSES.keySet());
      }
    }
    Path root = options.path("dir").toAbsolutePath();
    Path data = TrainingSetData.ensure(root, events, options.number("seed", 1));
    Path sparkModule = Path.of(options.string("spark-module", "lockstep-bench-spark")).toAbsolutePath();
    long spineRows;
    Map<String, List<Run>> results = new LinkedHashMap<>();
    Map<String, String> failures = new LinkedHashMap<>();
    Map<String, Path> outputs = new LinkedHashMap<>();
    try (ResultComparison comparison = new ResultComparison(root.resolve("work"))) {
      spineRows = comparison.rows(data.resolve(TrainingSetData.SPINE_FILE));
      for (String system : systems) {
        Path out = root.resolve("out").resolve("events-" + events).resolve(system);
        List<Run> completed = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
          System.err.printf("Running %s, run %d of %d ...%n", system, run, runs);
          try {
            completed.add(runOnce(system, data, out, root, run, sparkModule));
          } catch (IllegalStateException e) {
            failures.put(system, e.getMessage());
            break;
          }
        }
        results.put(system, completed);
        if (!completed.isEmpty()) {
          outputs.put(system, out);
        }
      }
      System.out.print(report(events, spineRows, runs, results, failures));
      long stride = Math.max(1, spineRows / Math.max(1, options.number("sample", 10_000)));
      if (!options.string("exact", "true").equals("false")) {
        Map<String, Path> withReference = new LinkedHashMap<>();
        withReference.put("exact", ExactReference.ensure(
            data, root.resolve("work"), PaymentsFixture.twentyFeatures(), stride));
        withReference.putAll(outputs);
        outputs = withReference;
      }
      System.out.print(differences(comparison, outputs, stride));
    }
  }

  private static Run runOnce(String system, Path data, Path out, Path root, int run, Path sparkModule)
      throws IOException, InterruptedException {
    deleteRecursively(out);
    Path work = root.resolve("work").resolve(system);
    Path log = root.resolve("logs").resolve(system + "-run" + run + ".log");
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx4g",
        "-cp", classpath(system, sparkModule), MAIN_CLASSES.get(system),
        "--events-parquet", data.resolve(TrainingSetData.EVENTS_FILE).toString(),
        "--spine-parquet", data.resolve(TrainingSetData.SPINE_FILE).toString(),
        "--out", out.toString(), "--work", work.toString()));
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    Matcher report = null;
    try (BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
        Matcher matcher = REPORT.matcher(line.trim());
        if (matcher.matches()) {
          report = matcher;
        } else {
          Files.writeString(log, line + System.lineSeparator(), java.nio.file.StandardOpenOption.APPEND);
        }
      }
    }
    int exit = process.waitFor();
    long processMillis = (System.nanoTime() - start) / 1_000_000;
    if (exit != 0 || report == null) {
      throw new IllegalStateException("exit code " + exit + (report == null ? ", no report line" : "")
          + "; log " + log + ":\n" + tail(log, 6));
    }
    return new Run(Long.parseLong(report.group(1)), processMillis, Long.parseLong(report.group(2)),
        Long.parseLong(report.group(3)));
  }

  private static String classpath(String system, Path sparkModule) throws IOException {
    if (!system.equals("spark")) {
      return System.getProperty("java.class.path");
    }
    Path classes = sparkModule.resolve("target/classes");
    Path dependencies = sparkModule.resolve("target/classpath.txt");
    if (!Files.isDirectory(classes) || !Files.exists(dependencies)) {
      throw new IllegalStateException("Cannot run spark: " + classes + " or " + dependencies + " is missing"
          + " (build it with: mvn -B package -DskipTests -pl lockstep-bench-spark -am, or pass --spark-module DIR)");
    }
    return classes + java.io.File.pathSeparator + Files.readString(dependencies).trim();
  }

  private static String report(long events, long spineRows, long runs, Map<String, List<Run>> results,
      Map<String, String> failures) {
    StringBuilder text = new StringBuilder();
    text.append(String.format(Locale.ROOT, "%n## Training set: 20 features, %,d events, %,d spine rows, %d run(s) each%n%n",
        events, spineRows, runs));
    text.append("| system | runs ok | job time (median) | vs lockstep | process time (median) | peak RSS (median) |"
        + " vs lockstep | rows | rows = spine |\n|---|---|---|---|---|---|---|---|---|\n");
    List<Run> lockstep = results.getOrDefault("lockstep", List.of());
    for (Map.Entry<String, List<Run>> entry : results.entrySet()) {
      List<Run> completed = entry.getValue();
      if (completed.isEmpty()) {
        text.append("| ").append(entry.getKey()).append(" | 0 | failed | | | | | | |\n");
        continue;
      }
      double job = median(completed, Run::jobMillis);
      double peak = median(completed, Run::peakKilobytes);
      long rows = completed.get(completed.size() - 1).rows();
      text.append(String.format(Locale.ROOT, "| %s | %d | %.2f s | %s | %.2f s | %.0f MB | %s | %,d | %s |%n",
          entry.getKey(), completed.size(), job / 1000, ratio(job, lockstep, Run::jobMillis),
          median(completed, Run::processMillis) / 1000, peak / 1024, ratio(peak, lockstep, Run::peakKilobytes),
          rows, rows == spineRows ? "yes" : "**no**"));
    }
    for (Map.Entry<String, String> failure : failures.entrySet()) {
      text.append("\n").append(failure.getKey()).append(" failed: ").append(failure.getValue()).append('\n');
    }
    return text.toString();
  }

  private static String differences(ResultComparison comparison, Map<String, Path> outputs, long stride)
      throws java.sql.SQLException {
    if (outputs.size() < 2) {
      return "\nFewer than two outputs: no values to compare.\n";
    }
    List<String> systems = new ArrayList<>(outputs.keySet());
    String baseline = systems.get(0);
    List<String> features = PaymentsFixture.twentyFeatures().stream().map(FeatureSpec::name).toList();
    StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
        "%nLargest relative difference |a − b| / max(|a|, |b|) against %s, and how many rows differ at all,"
            + " on rows with row_id %% %d = 0:%n%n| feature |",
        baseline, stride));
    List<ResultComparison.Differences> all = new ArrayList<>();
    StringBuilder rule = new StringBuilder("|---|");
    for (String system : systems.subList(1, systems.size())) {
      all.add(comparison.compare(outputs.get(baseline), outputs.get(system), features, stride));
      text.append(' ').append(system).append(" |");
      rule.append("---|");
    }
    text.append('\n').append(rule).append('\n');
    for (String feature : features) {
      text.append("| ").append(feature).append(" |");
      for (ResultComparison.Differences differences : all) {
        long nulls = differences.nullMismatches().get(feature);
        text.append(String.format(Locale.ROOT, " %.3g (%,d differ%s) |", differences.maxRelative().get(feature),
            differences.differingRows().get(feature), nulls == 0 ? "" : ", " + nulls + " null on one side"));
      }
      text.append('\n');
    }
    text.append("| rows compared (unmatched) |");
    for (ResultComparison.Differences differences : all) {
      text.append(String.format(Locale.ROOT, " %,d (%d) |", differences.sampledRows(), differences.unmatchedRows()));
    }
    return text.append('\n').toString();
  }

  private static String ratio(double value, List<Run> lockstep, java.util.function.ToLongFunction<Run> metric) {
    return lockstep.isEmpty() ? "n/a" : String.format(Locale.ROOT, "%.2f×", value / median(lockstep, metric));
  }

  private static double median(List<Run> runs, java.util.function.ToLongFunction<Run> metric) {
    long[] values = runs.stream().mapToLong(metric).sorted().toArray();
    int middle = values.length / 2;
    return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2.0;
  }

  private static String tail(Path log, int lines) throws IOException {
    List<String> all = Files.readAllLines(log);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
