package dev.lockstep.bench.trainingset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The one JSON line a training-set job prints on stdout when it has written its result, which
 * {@link TrainingSetBenchmark} reads:
 * {@code {"system":"duckdb","job_ms":1234,"rows":100000,"vm_hwm_kb":456789}}.
 *
 * <p>{@code job_ms} is the job's own wall time, from the start of its main method (so including
 * engine start-up, such as a Spark session) to the output being written; {@code vm_hwm_kb} the
 * process's peak resident set size, read from {@code /proc/self/status} just before exiting.
 */
public final class JobReport {
  private JobReport() {}

  /** Prints the report line for a job that started at {@code startNanos} ({@link System#nanoTime()}). */
  public static void print(String system, long startNanos, long rows) {
    long jobMillis = (System.nanoTime() - startNanos) / 1_000_000;
    System.out.println(String.format(Locale.ROOT, "{\"system\":\"%s\",\"job_ms\":%d,\"rows\":%d,\"vm_hwm_kb\":%d}",
        system, jobMillis, rows, peakResidentKilobytes()));
    System.out.flush();
  }

  /** VmHWM from {@code /proc/self/status}, in kB; -1 where there is no such file. */
  public static long peakResidentKilobytes() {
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
