package dev.lockstep.embedded.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.spi.eventlog.LogEntry;
import dev.lockstep.spi.eventlog.Position;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process appending to the log ({@link CrashAppender}) with SIGKILL at a random moment,
 * eight times over the same directory, then checks that every acknowledged record is at its
 * position with its exact bytes, that no record is there twice, and that offsets have no gaps.
 */
class LocalEventLogCrashTest {
  private static final int ROUNDS = 8;
  private static final long IDS_PER_ROUND = 100_000_000L;

  @TempDir Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void everyAcknowledgedRecordSurvivesKillNine() throws Exception {
    Path logDir = dir.resolve("log");
    Random random = new Random(20_240_501L);
    Map<Long, Position> acknowledged = new HashMap<>();
    for (int round = 0; round < ROUNDS; round++) {
      Path stderr = dir.resolve("stderr-" + round + ".txt");
      Process process = new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp", System.getProperty("java.class.path"),
              CrashAppender.class.getName(), logDir.toString(),
              Long.toString(round * IDS_PER_ROUND), "4")
          .redirectError(stderr.toFile())
          .start();
      AckReader reader = new AckReader(process.getInputStream());
      reader.start();
      boolean ready = reader.ready.await(60, TimeUnit.SECONDS);
      assertThat(ready).as("child ready; stderr: %s", read(stderr)).isTrue();
      Thread.sleep(150 + random.nextInt(1200));
      process.destroyForcibly();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      reader.join();

      assertThat(reader.acks).as("acks of round %d; stderr: %s", round, read(stderr))
          .isNotEmpty();
      for (Map.Entry<Long, Position> ack : reader.acks.entrySet()) {
        assertThat(acknowledged.put(ack.getKey(), ack.getValue())).isNull();
      }
    }
    assertThat(new java.util.HashSet<>(acknowledged.values())).as("positions acknowledged once")
        .hasSize(acknowledged.size());

    try (LocalEventLog log = LocalEventLog.open(logDir, CrashAppender.SEGMENT_BYTES, true)) {
      Map<Long, Position> found = new HashMap<>();
      for (int partition = 0; partition < CrashAppender.PARTITIONS; partition++) {
        long expected = 0;
        Position from = Position.start(partition);
        for (List<LogEntry> page = log.read(CrashAppender.STREAM, from, 10_000); !page.isEmpty();
            page = log.read(CrashAppender.STREAM, from, 10_000)) {
          for (LogEntry entry : page) {
            assertThat(entry.position().offset()).as("offsets without gaps").isEqualTo(expected++);
            long id = entry.record().timestampMillis();
            assertThat(entry.record()).isEqualTo(CrashAppender.record(id));
            assertThat(found.put(id, entry.position())).as("payload %d appears once", id).isNull();
          }
          from = page.get(page.size() - 1).position().next();
        }
        assertThat(log.endPositions(CrashAppender.STREAM).get(partition))
            .isEqualTo(new Position(partition, expected));
      }
      for (Map.Entry<Long, Position> ack : acknowledged.entrySet()) {
        assertThat(found.get(ack.getKey())).as("acknowledged payload %d", ack.getKey())
            .isEqualTo(ack.getValue());
      }
    }
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file) : "";
  }

  /** Collects the child's ACK lines; a last line cut off by the kill is ignored. */
  private static final class AckReader extends Thread {
    final CountDownLatch ready = new CountDownLatch(1);
    final Map<Long, Position> acks = new HashMap<>();
    private final InputStream input;

    AckReader(InputStream input) {
      this.input = input;
      setDaemon(true);
    }

    @Override
    public void run() {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      byte[] buffer = new byte[64 << 10];
      try (input) {
        for (int read = input.read(buffer); read >= 0; read = input.read(buffer)) {
          for (int i = 0; i < read; i++) {
            if (buffer[i] == '\n') {
              accept(line.toString(StandardCharsets.US_ASCII));
              line.reset();
            } else {
              line.write(buffer[i]);
            }
          }
        }
      } catch (IOException e) {
        // The child died: what was read so far is what it acknowledged.
      }
    }

    private void accept(String line) {
      if (line.equals("READY")) {
        ready.countDown();
        return;
      }
      String[] fields = line.split(" ");
      if (fields.length == 4 && fields[0].equals("ACK")) {
        Position position = new Position(Integer.parseInt(fields[1]), Long.parseLong(fields[2]));
        acks.put(Long.parseLong(fields[3]), position);
      }
    }
  }
}
