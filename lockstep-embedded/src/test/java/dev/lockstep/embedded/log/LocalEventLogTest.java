package dev.lockstep.embedded.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.CorruptDataException;
import dev.lockstep.spi.BackendConfigException;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.Backends;
import dev.lockstep.spi.OutcomeUnknownException;
import dev.lockstep.spi.eventlog.EventLog;
import dev.lockstep.spi.eventlog.LogEntry;
import dev.lockstep.spi.eventlog.LogRecord;
import dev.lockstep.spi.eventlog.Position;
import dev.lockstep.testkit.contract.EventLogContract;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalEventLogTest extends EventLogContract {
  private static final String STREAM = "events";

  @TempDir Path dir;

  @Override
  protected EventLog newLog() {
    return Backends.load(EventLog.class, "local", Map.of("dir", dir.toString()));
  }

  @Test
  void defaultsArePinned() {
    assertThat(LocalEventLogFactory.SEGMENT_BYTES_DEFAULT).isEqualTo(64L << 20);
    assertThat(LocalEventLogFactory.FSYNC_DEFAULT).isTrue();
    assertThat(log.name()).isEqualTo("local");
    assertThat(log).isInstanceOf(LocalEventLog.class);
  }

  @Test
  void theFactoryChecksItsProperties() {
    assertThatThrownBy(() -> Backends.load(EventLog.class, "local", Map.of()))
        .isInstanceOf(BackendConfigException.class)
        .hasMessageContaining("'dir' is required");
    assertThatThrownBy(() -> Backends.load(EventLog.class, "local",
            Map.of("dir", dir.resolve("other").toString(), "segment-bytes", "10")))
        .isInstanceOf(BackendConfigException.class)
        .hasMessage("Cannot configure backend 'local': property 'segment-bytes' is 10 (use at"
            + " least 128; the default is 67108864)");
    assertThatThrownBy(() -> Backends.load(EventLog.class, "local",
            Map.of("dir", dir.resolve("other").toString(), "fsync", "sometimes")))
        .isInstanceOf(BackendConfigException.class)
        .hasMessageContaining("'fsync' must be a boolean");
  }

  @Test
  void aSecondLogCannotOpenTheSameDirectory() {
    assertThatThrownBy(() -> LocalEventLog.open(dir))
        .isInstanceOf(BackendException.class)
        .hasMessage("Cannot open the event log in " + dir + ": another event log has it open"
            + " (close that one, or use another directory)");
  }

  @Test
  void streamNamesMustBeSafeDirectoryNames() {
    for (String name : List.of("", ".hidden", "a/b", "..", "a b", "x".repeat(250))) {
      assertThatThrownBy(() -> log.createStream(name, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("a stream name is 1 to 249 letters");
    }
    log.createStream("payments.v2_eu-west", 1);
    assertThat(log.streams()).containsExactly("payments.v2_eu-west");
  }

  @Test
  void theLayoutAndHeadersNameTheFormat() throws IOException {
    log.createStream(STREAM, 2);

    Path stream = dir.resolve(STREAM);
    assertThat(Files.readString(stream.resolve("stream.properties")))
        .contains("format=lockstep.log", "version=1", "partitions=2");
    Path segment = stream.resolve("p-1").resolve("00000000000000000000.log");
    byte[] header = Files.readAllBytes(segment);
    assertThat(header).hasSize(Frames.HEADER_BYTES);
    assertThat(new String(header, 2, 12, StandardCharsets.US_ASCII)).isEqualTo("lockstep.log");
    assertThat(ByteBuffer.wrap(header).getInt(14)).isEqualTo(1);
  }

  @Test
  void thePartitionIsTheCrc32cOfTheKeyModuloThePartitionCount() {
    log.createStream(STREAM, 7);
    for (int i = 0; i < 50; i++) {
      byte[] key = ("card-" + i).getBytes(StandardCharsets.UTF_8);
      CRC32C crc = new CRC32C();
      crc.update(key);
      List<Position> positions = log.append(STREAM, List.of(new LogRecord(key, key, i)));
      assertThat(positions.get(0).partition()).isEqualTo((int) (crc.getValue() % 7));
    }
    List<Position> empty = log.append(STREAM, List.of(new LogRecord(new byte[0], new byte[1], 0)));
    assertThat(empty.get(0).partition()).isZero();
  }

  @Test
  void reopeningKeepsRecordsPositionsAndTheStart() {
    log.createStream(STREAM, 3);
    log.createStream("other", 1);
    List<Position> positions = log.append(STREAM, records("r", 60));
    ((LocalEventLog) log).truncate(STREAM, new Position(1, 2));
    List<LogEntry> before = readAll(STREAM);
    List<Position> starts = log.startPositions(STREAM);
    List<Position> ends = log.endPositions(STREAM);
    log.close();

    log = LocalEventLog.open(dir);

    assertThat(log.streams()).containsExactly(STREAM, "other");
    assertThat(log.partitions(STREAM)).isEqualTo(3);
    assertThat(log.startPositions(STREAM)).isEqualTo(starts).contains(new Position(1, 2));
    assertThat(log.endPositions(STREAM)).isEqualTo(ends);
    assertThat(readAll(STREAM)).isEqualTo(before).hasSize(58);
    List<Position> more = log.append(STREAM, records("r", 60));
    assertThat(more).isEqualTo(positions.stream()
        .map(p -> new Position(p.partition(), p.offset() + ends.get(p.partition()).offset()))
        .toList());
  }

  @Test
  void segmentsRollAtTheirSizeAndReadsCrossThem() throws IOException {
    log.close();
    log = LocalEventLog.open(dir, 1024, true);
    log.createStream(STREAM, 1);
    List<LogRecord> records = new ArrayList<>();
    for (int batch = 0; batch < 20; batch++) {
      List<LogRecord> batchRecords = records("b" + batch, 1 + batch % 7);
      log.append(STREAM, batchRecords);
      records.addAll(batchRecords);
    }
    log.append(STREAM, List.of(record("huge", "x".repeat(5000), 1)));
    records.add(record("huge", "x".repeat(5000), 1));

    List<Path> segments = segments(0);
    assertThat(segments).hasSizeGreaterThanOrEqualTo(4);
    long previousBase = -1;
    for (Path segment : segments) {
      long base = Long.parseLong(segment.getFileName().toString().replace(".log", ""));
      assertThat(base).isGreaterThan(previousBase);
      previousBase = base;
      if (!segment.equals(segments.get(segments.size() - 1))) {
        assertThat(log.read(STREAM, new Position(0, base), 1).get(0).position().offset())
            .isEqualTo(base);
      }
    }
    assertEveryRecordReadable(records);
    log.close();
    log = LocalEventLog.open(dir, 1024, true);
    assertEveryRecordReadable(records);
    List<Position> more = log.append(STREAM, records("after", 3));
    assertThat(more.get(0).offset()).isEqualTo(records.size());
  }

  @Test
  void truncationDeletesWholeSegmentsBelowTheNewStart() throws IOException {
    log.close();
    LocalEventLog local = LocalEventLog.open(dir, 512, true);
    log = local;
    log.createStream(STREAM, 1);
    for (int i = 0; i < 30; i++) {
      log.append(STREAM, records("r" + i, 2));
    }
    List<Path> segments = segments(0);
    long thirdBase = base(segments.get(2));

    local.truncate(STREAM, new Position(0, thirdBase + 1));

    assertThat(segments(0)).isEqualTo(segments.subList(2, segments.size()));
    assertThat(Files.readString(dir.resolve(STREAM).resolve("p-0").resolve("start.properties")))
        .contains("start-offset=" + (thirdBase + 1));
    assertThat(log.read(STREAM, new Position(0, thirdBase + 1), 1)).hasSize(1);
    log.close();
    log = LocalEventLog.open(dir, 512, true);
    assertThat(log.startPositions(STREAM)).containsExactly(new Position(0, thirdBase + 1));
    assertThat(readAll(STREAM)).hasSize((int) (60 - thirdBase - 1));
  }

  @Test
  void aTornTailOfGarbageIsCutOffAndAppendsContinue() throws IOException {
    log.createStream(STREAM, 1);
    log.append(STREAM, records("r", 10));
    log.close();
    Path segment = segments(0).get(0);
    long goodSize = Files.size(segment);
    Files.write(segment, new byte[] {0, 0, 1, 0, 42, 42, 42, 42, 7}, StandardOpenOption.APPEND);

    log = LocalEventLog.open(dir);

    assertThat(Files.size(segment)).isEqualTo(goodSize);
    assertThat(log.endPositions(STREAM)).containsExactly(new Position(0, 10));
    assertThat(log.append(STREAM, records("s", 1))).containsExactly(new Position(0, 10));
    assertThat(readAll(STREAM)).hasSize(11);
  }

  @Test
  void aRecordCutInTheMiddleIsDroppedAndItsOffsetReused() throws IOException {
    log.createStream(STREAM, 1);
    log.append(STREAM, records("r", 10));
    log.close();
    Path segment = segments(0).get(0);
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() - 7);
    }

    log = LocalEventLog.open(dir);

    assertThat(readAll(STREAM)).extracting(entry -> text(entry.record().value()))
        .containsExactly("r-0", "r-1", "r-2", "r-3", "r-4", "r-5", "r-6", "r-7", "r-8");
    assertThat(log.append(STREAM, records("s", 1))).containsExactly(new Position(0, 9));
    log.close();
    log = LocalEventLog.open(dir);
    assertThat(readAll(STREAM)).hasSize(10);
  }

  @Test
  void aZeroFilledTailIsCutOff() throws IOException {
    log.createStream(STREAM, 1);
    log.append(STREAM, records("r", 3));
    log.close();
    Files.write(segments(0).get(0), new byte[8192], StandardOpenOption.APPEND);

    log = LocalEventLog.open(dir);

    assertThat(log.endPositions(STREAM)).containsExactly(new Position(0, 3));
  }

  @Test
  void damageInTheMiddleOfASealedSegmentIsReportedWithFileAndOffset() throws IOException {
    log.close();
    log = LocalEventLog.open(dir, 1024, true);
    log.createStream(STREAM, 1);
    for (int i = 0; i < 40; i++) {
      log.append(STREAM, records("r" + i, 1));
    }
    log.close();
    Path first = segments(0).get(0);
    List<Long> frames = framePositions(first);
    flipByte(first, frames.get(3) + Frames.OVERHEAD_BYTES + 2);
    long secondBase = base(segments(0).get(1));

    log = LocalEventLog.open(dir, 1024, true);

    assertThatThrownBy(() -> log.read(STREAM, Position.start(0), 100))
        .isInstanceOf(CorruptDataException.class)
        .hasMessage("Cannot read event log segment " + first + ": at position " + frames.get(3)
            + ", where offset 3 should be, there is a frame whose checksum does not match"
            + " (restore the file from a backup, or truncate the partition past the damage)");
    assertThat(log.read(STREAM, new Position(0, secondBase), 100)).isNotEmpty();
    assertThat(log.append(STREAM, records("after", 1))).hasSize(1);
  }

  @Test
  void damageFollowedByGoodRecordsInTheLastSegmentIsNotMistakenForATornTail()
      throws IOException {
    log.createStream(STREAM, 1);
    log.append(STREAM, records("r", 10));
    log.close();
    Path segment = segments(0).get(0);
    List<Long> frames = framePositions(segment);
    flipByte(segment, frames.get(4) + Frames.OVERHEAD_BYTES + 1);

    assertThatThrownBy(() -> LocalEventLog.open(dir))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(segment + ": at position " + frames.get(4) + ", where offset 4"
            + " should be, there is a frame whose checksum does not match");
    assertThat(Files.size(segment)).as("nothing cut").isEqualTo(frames.get(10));
  }

  @Test
  void aStreamOfAnotherFormatVersionIsRefused() throws IOException {
    log.createStream(STREAM, 1);
    log.close();
    Path properties = dir.resolve(STREAM).resolve("stream.properties");
    Files.writeString(properties, Files.readString(properties).replace("version=1", "version=2"));

    assertThatThrownBy(() -> LocalEventLog.open(dir))
        .isInstanceOf(CorruptDataException.class)
        .hasMessage("Cannot open stream '" + STREAM + "': " + properties + " names format"
            + " lockstep.log version 2, not lockstep.log version 1 (upgrade Lockstep)");
    log = null;
  }

  @Test
  void leftoversOfInterruptedCreatesAndDeletesAreRemovedOnOpen() throws IOException {
    log.createStream(STREAM, 2);
    log.deleteStream(STREAM);
    assertThat(dir.resolve(STREAM)).doesNotExist();
    log.close();
    Files.createDirectories(dir.resolve(".half.1234" + StreamLog.CREATING_SUFFIX).resolve("p-0"));

    log = LocalEventLog.open(dir);

    assertThat(log.streams()).isEmpty();
    try (Stream<Path> entries = Files.list(dir)) {
      assertThat(entries.map(path -> path.getFileName().toString())).containsExactly(".lock");
    }
  }

  @Test
  void aFailedWriteIsAnUnknownOutcomeAndStopsAppendsUntilReopened() throws IOException {
    log.close();
    log = LocalEventLog.open(dir, 256, true);
    log.createStream(STREAM, 1);
    List<Position> before = log.append(STREAM, records("r", 3));
    Path partition = dir.resolve(STREAM).resolve("p-0");
    Path away = dir.resolve("p-0.away");
    Files.move(partition, away);

    // The batch fills the open segment, then cannot create the next one.
    assertThatThrownBy(() -> log.append(STREAM, records("s", 20)))
        .isInstanceOf(OutcomeUnknownException.class)
        .hasMessageStartingWith("Cannot append 20 records to stream 'events': partition 0 failed"
            + " to write them (java.nio.file.NoSuchFileException: ")
        .hasMessageEndingWith("), so it may hold some; it refuses appends until the event log is"
            + " reopened (reopen it and read the end positions before retrying)");
    assertThatThrownBy(() -> log.append(STREAM, records("t", 1)))
        .isInstanceOf(BackendException.class)
        .isNotInstanceOf(OutcomeUnknownException.class)
        .hasMessageContaining("an earlier write failed");
    assertThat(log.endPositions(STREAM)).containsExactly(before.get(2).next());
    assertThat(readAll(STREAM)).hasSize(3);

    log.close();
    Files.move(away, partition);
    log = LocalEventLog.open(dir, 256, true);
    long end = log.endPositions(STREAM).get(0).offset();
    assertThat(end).as("a prefix of the failed batch may be there").isBetween(3L, 23L);
    assertThat(readAll(STREAM)).extracting(entry -> text(entry.record().value()))
        .startsWith("r-0", "r-1", "r-2", "s-0").hasSize((int) end);
    assertThat(log.append(STREAM, records("t", 1))).containsExactly(new Position(0, end));
  }

  @Test
  void anInterruptedCallerDoesNotBreakThePartition() {
    log.createStream(STREAM, 1);
    log.append(STREAM, records("r", 5));

    Thread.currentThread().interrupt();
    try {
      assertThat(log.append(STREAM, records("s", 3))).hasSize(3);
      assertThat(log.read(STREAM, Position.start(0), 100)).hasSize(8);
      assertThat(Thread.currentThread().isInterrupted()).as("interrupt kept").isTrue();
    } finally {
      Thread.interrupted();
    }

    assertThat(log.append(STREAM, records("t", 1))).containsExactly(new Position(0, 8));
    assertThat(readAll(STREAM)).hasSize(9);
  }

  @Test
  void concurrentSingleRecordAppendsShareForces() throws Exception {
    LocalEventLog local = (LocalEventLog) log;
    log.createStream(STREAM, 1);
    int threads = 16;
    int appends = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    long forcesBefore = local.forces();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int thread = 0; thread < threads; thread++) {
        int id = thread;
        futures.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < appends; i++) {
            log.append(STREAM, List.of(record("k", id + "-" + i, i)));
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }

    long forces = local.forces() - forcesBefore;
    assertThat(log.endPositions(STREAM)).containsExactly(new Position(0, threads * appends));
    assertThat(forces).as("forces for %d appends", threads * appends)
        .isLessThan(threads * appends / 4);
  }

  private void assertEveryRecordReadable(List<LogRecord> records) {
    assertThat(readAll(STREAM)).extracting(LogEntry::record).isEqualTo(records);
    for (int from = 0; from < records.size(); from += 7) {
      List<LogEntry> page = log.read(STREAM, new Position(0, from), 9);
      assertThat(page).extracting(LogEntry::record)
          .isEqualTo(records.subList(from, Math.min(records.size(), from + 9)));
      assertThat(page.get(0).position()).isEqualTo(new Position(0, from));
    }
  }

  private List<Path> segments(int partition) throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve(STREAM).resolve("p-" + partition))) {
      return files.filter(file -> file.toString().endsWith(".log")).sorted().toList();
    }
  }

  private static long base(Path segment) {
    return Long.parseLong(segment.getFileName().toString().replace(".log", ""));
  }

  /** The file position of every frame of a segment. */
  private static List<Long> framePositions(Path segment) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment));
    List<Long> positions = new ArrayList<>();
    int position = Frames.HEADER_BYTES;
    while (position < bytes.limit()) {
      positions.add((long) position);
      position += Frames.PREFIX_BYTES + bytes.getInt(position);
    }
    positions.add((long) position);
    return positions;
  }

  private static void flipByte(Path file, long position) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, position);
      one.put(0, (byte) (one.get(0) ^ 0x5a)).rewind();
      channel.write(one, position);
    }
  }
}
