package dev.lockstep.bench.online;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distributed backends' benchmark runs end to end at a tiny size against the local Redis
 * (redis://127.0.0.1:6379, as the Redis store's tests) and a local Kafka broker it starts, and
 * reports its figures (about 25 s, most of it starting the broker and the projects). Checks only
 * that the figures are there: benchmarks report numbers, tests never judge them.
 */
class DistributedBenchmarkSmokeTest {
  @TempDir Path dir;

  @Test
  void runsAndReports() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      DistributedBenchmark.main(new String[] {"--dir", dir.toString(), "--cards", "200", "--events", "4000",
          "--seconds", "0.2", "--warmup-seconds", "0.1", "--feed-records", "2000", "--feed-cards", "200",
          "--rates", "200", "--rate-seconds", "1", "--drain-seconds", "5"});
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);

    assertThat(output).contains(
        "RESULT\tdistributed/redis-read\tlockstep redis (cold) 1t\tp99_us\t",
        "RESULT\tdistributed/redis-read\traw redis GET 2t\tper_second\t",
        "PEER\tdistributed/redis-read\tlockstep redis (cold) 2t\traw redis GET 2t",
        "RESULT\tdistributed/kafka-ingest\tkafka topic → lockstep → redis (backlog)\tevents_per_second\t",
        "RESULT\tdistributed/kafka-servable\tkafka producer @200 events/s\tservable_p99_ms\t",
        "RESULT\tdistributed/kafka-servable\traw kafka send → consumer poll @200 events/s\tservable_p99_ms\t",
        "PEER\tdistributed/kafka-servable\tkafka producer @200 events/s\traw kafka send → consumer poll @200 events/s");
  }
}
