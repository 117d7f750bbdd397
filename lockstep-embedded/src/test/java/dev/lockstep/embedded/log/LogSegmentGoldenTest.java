package dev.lockstep.embedded.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.spi.eventlog.LogEntry;
import dev.lockstep.spi.eventlog.LogRecord;
import dev.lockstep.spi.eventlog.Position;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The golden file of the embedded event log's segment format ({@code lockstep.log} v1): today's
 * code writes the same bytes for the same records, and reads the golden segment back to them.
 * {@link #main} writes the file; run it only when a new version is introduced.
 */
class LogSegmentGoldenTest {
  private static final String GOLDEN = "golden/log-segment-v1.bin";
  private static final String STREAM = "payments";
  private static final String SEGMENT = "p-0/00000000000000000000.log";

  private static List<LogRecord> records() {
    return List.of(
        new LogRecord("card-1".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3}, 1_796_600_000_000L),
        new LogRecord("card-é".getBytes(StandardCharsets.UTF_8), new byte[0], 1_796_600_000_001L),
        new LogRecord(new byte[0], "a value".getBytes(StandardCharsets.UTF_8), 1_796_600_000_001L));
  }

  /** Writes {@link #records()} to a new log in {@code dir}; returns its segment file. */
  private static Path write(Path dir) {
    try (LocalEventLog log = LocalEventLog.open(dir)) {
      log.createStream(STREAM, 1);
      log.append(STREAM, records());
    }
    return dir.resolve(STREAM).resolve(SEGMENT);
  }

  @Test
  void aSegmentIsWrittenAndReadAsItsGoldenFile(@TempDir Path dir) throws IOException {
    byte[] golden;
    try (InputStream in = LogSegmentGoldenTest.class.getClassLoader().getResourceAsStream(GOLDEN)) {
      assertThat(in).as("golden file %s", GOLDEN).isNotNull();
      golden = in.readAllBytes();
    }
    assertThat(Files.readAllBytes(write(dir.resolve("written")))).isEqualTo(golden);

    // a log whose segment holds the golden bytes reads the records back
    Path read = dir.resolve("read");
    Path segment = write(read);
    Files.write(segment, golden);
    try (LocalEventLog log = LocalEventLog.open(read)) {
      List<LogEntry> entries = log.read(STREAM, new Position(0, 0), 10);
      assertThat(entries).hasSize(3);
      for (int i = 0; i < 3; i++) {
        assertThat(entries.get(i).position().offset()).isEqualTo(i);
        assertThat(entries.get(i).record().key()).isEqualTo(records().get(i).key());
        assertThat(entries.get(i).record().value()).isEqualTo(records().get(i).value());
        assertThat(entries.get(i).record().timestampMillis()).isEqualTo(records().get(i).timestampMillis());
      }
    }
  }

  /** Writes the golden file under {@code src/test/resources} of this module (see the class doc). */
  public static void main(String[] args) throws IOException {
    Path resources = Path.of(args.length > 0 ? args[0] : "lockstep-embedded/src/test/resources");
    Path dir = Files.createTempDirectory("golden-log");
    Files.createDirectories(resources.resolve("golden"));
    Files.copy(write(dir), resources.resolve(GOLDEN));
  }
}
