package dev.lockstep.bench.online;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The online benchmarks' driver: runs {@link OnlineReadBenchmark}, {@link HttpServingBenchmark} and
 * {@link StreamingBenchmark} by default, and {@link DistributedBenchmark} (Redis and a local Kafka
 * broker) when {@code --benchmarks} names {@code distributed}; each {@code --runs} times in its own
 * child JVM ({@code -Xmx2g}), one after the other, and prints the median of every figure as
 * markdown tables, with ratios to the peer measured in the same child.
 *
 * <p>Usage, from the repository root after {@code mvn -B package -DskipTests}:
 * <pre>
 * java -cp lockstep-bench/target/benchmarks.jar dev.lockstep.bench.online.OnlineBenchmarks \
 *     --runs 3 --benchmarks read,http,streaming,distributed --dir /tmp/online-bench
 * </pre>
 * Options: {@code --quick} (small sizes and short measurements, one run unless {@code --runs} is
 * given), {@code --redis HOST:PORT} (default 127.0.0.1:6379; {@code none} leaves the Redis peer out
 * of the HTTP benchmark, and the distributed one cannot run without Redis), {@code --heap SIZE} (the
 * children's {@code -Xmx}, default 2g), {@code --cards N --events N} (the read data of the read,
 * HTTP and distributed benchmarks, default 25,000 and 500,000). Each child's stderr goes to {@code
 * DIR/logs/<benchmark>-run<n>.log}.
 */
public final class OnlineBenchmarks {
  private static final Map<String, String> MAIN_CLASSES = new LinkedHashMap<>();

  static {
    MAIN_CLASSES.put(OnlineReadBenchmark.SECTION, OnlineReadBenchmark.class.getName());
    MAIN_CLASSES.put(HttpServingBenchmark.SECTION, HttpServingBenchmark.class.getName());
    MAIN_CLASSES.put(StreamingBenchmark.SECTION, StreamingBenchmark.class.getName());
    MAIN_CLASSES.put(DistributedBenchmark.SECTION, DistributedBenchmark.class.getName());
  }

  /** The benchmarks run when {@code --benchmarks} is not given: those that need no Kafka broker. */
  private static final List<String> DEFAULT_BENCHMARKS =
      List.of(OnlineReadBenchmark.SECTION, HttpServingBenchmark.SECTION, StreamingBenchmark.SECTION);

  private OnlineBenchmarks() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse("OnlineBenchmarks", args,
        Set.of("runs", "benchmarks", "dir", "redis", "heap", "cards", "events"));
    long runs = options.number("runs", 3, 1);
    List<String> benchmarks = Arrays.stream(options.string("benchmarks", String.join(",", DEFAULT_BENCHMARKS))
        .split(",")).map(String::trim).filter(name -> !name.isEmpty()).toList();
    for (String benchmark : benchmarks) {
      if (!MAIN_CLASSES.containsKey(benchmark)) {
        throw new IllegalArgumentException("Cannot run benchmark '" + benchmark + "': use some of " + MAIN_CLASSES.keySet());
      }
    }
    Path root = options.path("dir", "/tmp/lockstep-online-bench");
    Figures figures = new Figures();
    List<String> loads = new ArrayList<>();
    Map<String, String> failures = new LinkedHashMap<>();
    for (String benchmark : benchmarks) {
      for (int run = 1; run <= runs; run++) {
        String load = Results.loadAverage();
        loads.add(benchmark + " run " + run + ": " + load);
        System.err.printf(Locale.ROOT, "Running %s, run %d of %d (load average %s) ...%n", benchmark, run, runs, load);
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + options.string("heap", "2g"),
            "-cp", System.getProperty("java.class.path"), MAIN_CLASSES.get(benchmark),
            "--dir", root.resolve(directory(benchmark)).toString()));
        if (options.quick()) {
          command.add("--quick");
        }
        if (!benchmark.equals(StreamingBenchmark.SECTION)) {
          for (String size : List.of("cards", "events")) {
            if (!options.string(size, "").isEmpty()) {
              command.addAll(List.of("--" + size, options.string(size, "")));
            }
          }
        }
        if (benchmark.equals(HttpServingBenchmark.SECTION)) {
          command.addAll(List.of("--redis", options.string("redis", "127.0.0.1:6379")));
        }
        if (benchmark.equals(DistributedBenchmark.SECTION)) {
          String redis = options.string("redis", "127.0.0.1:6379");
          if (redis.equals("none")) {
            throw new IllegalArgumentException("Cannot run benchmark 'distributed' with --redis none: it measures"
                + " the Redis online store (give --redis HOST:PORT)");
          }
          command.addAll(List.of("--redis-uri", "redis://" + redis));
        }
        Path log = root.resolve("logs").resolve(benchmark + "-run" + run + ".log");
        String failure = runChild(command, log, figures);
        if (failure != null) {
          failures.put(benchmark, failure);
          break;
        }
      }
    }
    loads.add("end: " + Results.loadAverage());
    StringBuilder report = new StringBuilder();
    report.append(String.format(Locale.ROOT, "%n# Online serving and streaming: medians of %d run(s)%s%n",
        runs, options.quick() ? " (--quick sizes)" : ""));
    report.append("\nLoad average (1, 5, 15 min) before each run: ").append(String.join("; ", loads)).append('\n');
    for (String benchmark : benchmarks) {
      report.append(figures.tables(benchmark));
    }
    failures.forEach((benchmark, failure) -> report.append("\n").append(benchmark).append(" failed: ").append(failure).append('\n'));
    System.out.print(report);
  }

  /** The directory under {@code --dir} a benchmark keeps its data in. */
  private static String directory(String benchmark) {
    if (benchmark.equals(StreamingBenchmark.SECTION) || benchmark.equals(DistributedBenchmark.SECTION)) {
      return benchmark;
    }
    return "serving";
  }

  /** Runs one child; returns null, or why it failed. */
  private static String runChild(List<String> command, Path log, Figures figures) throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    Files.deleteIfExists(log);
    Files.createFile(log);
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    Figures.Run run = figures.newRun();
    try (BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
        if (!run.accept(line)) {
          Files.writeString(log, line + System.lineSeparator(), StandardOpenOption.APPEND);
        }
      }
    }
    int exit = process.waitFor();
    if (exit != 0) {
      List<String> lines = Files.readAllLines(log);
      return "exit code " + exit + "; log " + log + ":\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
    }
    run.commit();
    return null;
  }
}
