package dev.lockstep.bench.online;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each online benchmark runs end to end at a tiny size and reports its figures. Checks only that
 * the figures are there: benchmarks report numbers, tests never judge them.
 */
class OnlineBenchmarksSmokeTest {
  @TempDir Path dir;

  @Test
  void everyBenchmarkRunsAndReports() throws Exception {
    String serving = dir.resolve("serving").toString();
    String read = run(() -> OnlineReadBenchmark.main(new String[] {"--dir", serving, "--cards", "200",
        "--events", "4000", "--seconds", "0.2", "--warmup-seconds", "0.1"}));
    String http = run(() -> HttpServingBenchmark.main(new String[] {"--dir", serving, "--cards", "200",
        "--events", "4000", "--seconds", "0.3", "--rates", "200", "--batch-rates", "20", "--batch-size", "10",
        "--connections", "2", "--redis", "none", "--redis-keys", "50"}));
    String streaming = run(() -> StreamingBenchmark.main(new String[] {"--dir", dir.resolve("streaming").toString(),
        "--seconds", "0.3", "--threads", "2", "--batch", "50", "--cards", "200", "--paced-rates", "1000",
        "--drain-seconds", "2", "--probes-per-second", "20"}));

    assertThat(read).contains("RESULT\tread\tlockstep 1t\tp99_us\t", "RESULT\tread\traw rocksdb 2t\tper_second\t",
        "PEER\tread\tlockstep 2t\traw rocksdb 2t");
    assertThat(http).contains("RESULT\thttp\tlockstep single @200/s\tp99_ms\t",
        "RESULT\thttp\tlockstep batch-10 @20/s\tachieved_per_second\t", "RESULT\thttp\tlockstep single @200/s\terrors\t0");
    assertThat(streaming).contains("RESULT\tstreaming\tlockstep embedded push @1,000 events/s\tservable_p99_ms\t",
        "RESULT\tstreaming\tlockstep embedded push, max rate\tevents_per_second\t",
        "RESULT\tstreaming\tlockstep HTTP push (NDJSON), max rate\tack_p99_ms\t",
        "RESULT\tstreaming\traw event log append, max rate\tevents_per_second\t");
  }

  private interface Main {
    void run() throws Exception;
  }

  /** Runs {@code main} and returns what it printed on stdout. */
  private static String run(Main main) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
