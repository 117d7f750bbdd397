package dev.lockstep.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lockstep.spi.AlreadyExistsException;
import dev.lockstep.spi.NotFoundException;
import dev.lockstep.spi.UnsupportedBackendOperationException;
import dev.lockstep.spi.eventlog.EventLog;
import dev.lockstep.spi.eventlog.LogEntry;
import dev.lockstep.spi.eventlog.LogRecord;
import dev.lockstep.spi.eventlog.Position;
import dev.lockstep.spi.eventlog.SupportsTruncation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link EventLog} keeps, run by each backend's test class:
 *
 * <pre>{@code
 * class LocalEventLogTest extends EventLogContract {
 *   @TempDir Path dir;
 *
 *   @Override
 *   protected EventLog newLog() {
 *     return Backends.load(EventLog.class, "local", Map.of("dir", dir.toString()));
 *   }
 * }
 * }</pre>
 *
 * <p>{@link SupportsTruncation} tests are skipped (an assumption fails) for logs without it, and
 * so are the {@code deleteStream} tests when the log throws {@link
 * UnsupportedBackendOperationException}. Offsets are checked to be contiguous from 0 unless {@link
 * #offsetsAreContiguous()} says the log may leave gaps (as Kafka's transaction markers do).
 * Randomness is seeded.
 */
public abstract class EventLogContract {
  private static final String STREAM = "payments";

  /** The log under test; closed after each test. */
  protected EventLog log;

  /** A new log with no streams. Called once before each test; the suite closes it. */
  protected abstract EventLog newLog();

  /** Whether offsets of a partition written without transactions go 0, 1, 2... with no gaps. */
  protected boolean offsetsAreContiguous() {
    return true;
  }

  @BeforeEach
  void openLog() {
    log = newLog();
  }

  @AfterEach
  void closeLog() {
    if (log != null) {
      log.close();
    }
  }

  @Test
  void createStreamIsIdempotentForTheSamePartitionCount() {
    log.createStream(STREAM, 3);
    log.append(STREAM, List.of(record("k", "v", 1)));

    log.createStream(STREAM, 3);

    assertThat(log.partitions(STREAM)).isEqualTo(3);
    assertThat(readAll(STREAM)).hasSize(1);
  }

  @Test
  void createStreamWithAnotherPartitionCountFails() {
    log.createStream(STREAM, 3);

    assertThatThrownBy(() -> log.createStream(STREAM, 4))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessageStartingWith("Cannot");
    assertThat(log.partitions(STREAM)).isEqualTo(3);
  }

  @Test
  void createStreamNeedsAPartition() {
    assertThatThrownBy(() -> log.createStream(STREAM, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(log.streams()).doesNotContain(STREAM);
  }

  @Test
  void streamsAreListedSorted() {
    assertThat(log.streams()).isEmpty();
    log.createStream("orders", 1);
    log.createStream("clicks", 2);
    log.createStream("payments", 1);

    assertThat(log.streams()).containsExactly("clicks", "orders", "payments");
  }

  @Test
  void aNewStreamIsEmpty() {
    log.createStream(STREAM, 4);

    assertThat(log.startPositions(STREAM)).containsExactly(
        Position.start(0), Position.start(1), Position.start(2), Position.start(3));
    assertThat(log.endPositions(STREAM)).isEqualTo(log.startPositions(STREAM));
    for (int partition = 0; partition < 4; partition++) {
      assertThat(log.read(STREAM, Position.start(partition), 10)).isEmpty();
    }
  }

  @Test
  void appendReturnsPositionsInBatchOrderAndContinuesWhereTheLastEnded() {
    log.createStream(STREAM, 1);

    List<Position> first = log.append(STREAM, records("a", 3));
    List<Position> second = log.append(STREAM, records("b", 2));

    assertThat(first).hasSize(3).isSortedAccordingTo(Position::compareTo);
    assertThat(second).hasSize(2).isSortedAccordingTo(Position::compareTo);
    assertThat(second.get(0).offset()).isGreaterThan(first.get(2).offset());
    if (offsetsAreContiguous()) {
      assertThat(first).containsExactly(position(0, 0), position(0, 1), position(0, 2));
      assertThat(second).containsExactly(position(0, 3), position(0, 4));
    }
    assertThat(log.endPositions(STREAM)).containsExactly(second.get(1).next());
  }

  @Test
  void recordsReadBackExactlyAsAppended() {
    log.createStream(STREAM, 2);
    byte[] binary = new byte[256];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) i;
    }
    List<LogRecord> records = List.of(
        record("card-1", "first", 1_700_000_000_000L),
        new LogRecord(new byte[0], "no key".getBytes(StandardCharsets.UTF_8), 0),
        new LogRecord("card-2".getBytes(StandardCharsets.UTF_8), new byte[0], -5),
        new LogRecord(binary, binary, Long.MAX_VALUE),
        new LogRecord("big".getBytes(StandardCharsets.UTF_8), new byte[300_000], 7));

    List<Position> positions = log.append(STREAM, records);

    for (int i = 0; i < records.size(); i++) {
      List<LogEntry> read = log.read(STREAM, positions.get(i), 1);
      assertThat(read).containsExactly(new LogEntry(positions.get(i), records.get(i)));
    }
  }

  @Test
  void equalKeysGoToTheSamePartitionInAppendOrder() {
    log.createStream(STREAM, 8);
    Map<String, Integer> partitionOfKey = new HashMap<>();
    Map<String, List<String>> appended = new HashMap<>();
    for (int round = 0; round < 3; round++) {
      List<LogRecord> batch = new ArrayList<>();
      for (int key = 0; key < 40; key++) {
        batch.add(record("key-" + key, "round-" + round, round));
        appended.computeIfAbsent("key-" + key, k -> new ArrayList<>()).add("round-" + round);
      }
      List<Position> positions = log.append(STREAM, batch);
      for (int key = 0; key < 40; key++) {
        int partition = positions.get(key).partition();
        assertThat(partitionOfKey.merge("key-" + key, partition, (a, b) -> a))
            .as("partition of key-%d", key).isEqualTo(partition);
      }
    }
    assertThat(new HashSet<>(partitionOfKey.values())).as("keys spread over partitions")
        .hasSizeGreaterThan(1);
    Map<String, List<String>> read = new HashMap<>();
    for (LogEntry entry : readAll(STREAM)) {
      read.computeIfAbsent(text(entry.record().key()), k -> new ArrayList<>())
          .add(text(entry.record().value()));
    }
    assertThat(read).isEqualTo(appended);
  }

  @Test
  void aBatchKeepsItsOrderWithinAPartition() {
    log.createStream(STREAM, 4);
    List<LogRecord> batch = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      batch.add(record("key-" + (i % 7), "value-" + i, i));
    }

    List<Position> positions = log.append(STREAM, batch);

    for (int i = 0; i < batch.size(); i++) {
      for (int j = i + 1; j < batch.size(); j++) {
        if (positions.get(i).partition() == positions.get(j).partition()) {
          assertThat(positions.get(i)).isLessThan(positions.get(j));
        }
      }
    }
    assertThat(new HashSet<>(positions)).hasSize(batch.size());
  }

  @Test
  void readStartsAtTheGivenOffsetAndStopsAtMaxRecords() {
    log.createStream(STREAM, 1);
    List<Position> positions = log.append(STREAM, records("r", 50));

    List<LogEntry> middle = log.read(STREAM, positions.get(20), 5);
    assertThat(middle).extracting(LogEntry::position).isEqualTo(positions.subList(20, 25));
    assertThat(middle).extracting(entry -> text(entry.record().value()))
        .containsExactly("r-20", "r-21", "r-22", "r-23", "r-24");

    List<LogEntry> rest = log.read(STREAM, positions.get(45), 1000);
    assertThat(rest).extracting(LogEntry::position).isEqualTo(positions.subList(45, 50));
    assertThat(log.read(STREAM, positions.get(49), 1)).hasSize(1);
  }

  @Test
  void readingOnFromTheNextPositionVisitsEveryRecordOnce() {
    log.createStream(STREAM, 1);
    List<Position> positions = log.append(STREAM, records("r", 103));

    List<Position> seen = new ArrayList<>();
    Position from = Position.start(0);
    for (List<LogEntry> page = log.read(STREAM, from, 10); !page.isEmpty();
        page = log.read(STREAM, from, 10)) {
      assertThat(page).hasSizeLessThanOrEqualTo(10);
      page.forEach(entry -> seen.add(entry.position()));
      from = page.get(page.size() - 1).position().next();
    }
    assertThat(seen).isEqualTo(positions);
  }

  @Test
  void readingAtOrPastTheEndReturnsNothing() {
    log.createStream(STREAM, 2);
    log.append(STREAM, records("r", 10));

    for (Position end : log.endPositions(STREAM)) {
      assertThat(log.read(STREAM, end, 10)).isEmpty();
      assertThat(log.read(STREAM, new Position(end.partition(), end.offset() + 1000), 10))
          .isEmpty();
    }
  }

  @Test
  void readNeedsAPositiveMaxRecords() {
    log.createStream(STREAM, 1);

    assertThatThrownBy(() -> log.read(STREAM, Position.start(0), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEmptyBatchAppendsNothing() {
    log.createStream(STREAM, 2);

    assertThat(log.append(STREAM, List.of())).isEmpty();
    assertThat(log.endPositions(STREAM)).isEqualTo(log.startPositions(STREAM));
  }

  @Test
  void endPositionsFollowAppends() {
    log.createStream(STREAM, 3);

    List<Position> positions = log.append(STREAM, records("r", 30));

    List<Position> ends = log.endPositions(STREAM);
    assertThat(ends).extracting(Position::partition).containsExactly(0, 1, 2);
    for (Position position : positions) {
      assertThat(position).isLessThan(ends.get(position.partition()));
    }
    if (offsetsAreContiguous()) {
      long[] counts = new long[3];
      positions.forEach(position -> counts[position.partition()]++);
      for (int partition = 0; partition < 3; partition++) {
        assertThat(ends.get(partition)).isEqualTo(position(partition, counts[partition]));
      }
    }
  }

  @Test
  void anUnknownStreamIsNotFound() {
    log.createStream(STREAM, 1);

    assertNotFound(() -> log.partitions("missing"));
    assertNotFound(() -> log.append("missing", List.of(record("k", "v", 1))));
    assertNotFound(() -> log.read("missing", Position.start(0), 10));
    assertNotFound(() -> log.startPositions("missing"));
    assertNotFound(() -> log.endPositions("missing"));
  }

  @Test
  void anUnknownPartitionIsNotFound() {
    log.createStream(STREAM, 2);

    assertNotFound(() -> log.read(STREAM, Position.start(2), 10));
    assertNotFound(() -> log.read(STREAM, new Position(7, 3), 10));
  }

  @Test
  void truncationMakesOlderRecordsUnreadable() {
    SupportsTruncation truncating = truncating();
    log.createStream(STREAM, 1);
    List<Position> positions = log.append(STREAM, records("r", 20));

    truncating.truncate(STREAM, positions.get(12));

    assertThat(log.startPositions(STREAM)).containsExactly(positions.get(12));
    assertThat(log.endPositions(STREAM)).containsExactly(positions.get(19).next());
    assertNotFound(() -> log.read(STREAM, positions.get(11), 10));
    assertNotFound(() -> log.read(STREAM, Position.start(0), 10));
    assertThat(log.read(STREAM, positions.get(12), 100))
        .extracting(LogEntry::position).isEqualTo(positions.subList(12, 20));
    List<Position> more = log.append(STREAM, records("s", 2));
    assertThat(more.get(0)).isGreaterThan(positions.get(19));
  }

  @Test
  void truncatingAtOrBeforeTheStartDoesNothing() {
    SupportsTruncation truncating = truncating();
    log.createStream(STREAM, 1);
    List<Position> positions = log.append(STREAM, records("r", 10));
    truncating.truncate(STREAM, positions.get(5));

    truncating.truncate(STREAM, positions.get(5));
    truncating.truncate(STREAM, positions.get(2));
    truncating.truncate(STREAM, Position.start(0));

    assertThat(log.startPositions(STREAM)).containsExactly(positions.get(5));
    assertThat(log.read(STREAM, positions.get(5), 100)).hasSize(5);
  }

  @Test
  void truncatingAtTheEndEmptiesThePartition() {
    SupportsTruncation truncating = truncating();
    log.createStream(STREAM, 1);
    log.append(STREAM, records("r", 10));
    Position end = log.endPositions(STREAM).get(0);

    truncating.truncate(STREAM, end);

    assertThat(log.startPositions(STREAM)).containsExactly(end);
    assertThat(log.endPositions(STREAM)).containsExactly(end);
    assertThat(log.read(STREAM, end, 10)).isEmpty();
    List<Position> appended = log.append(STREAM, records("s", 1));
    assertThat(log.read(STREAM, appended.get(0), 10)).hasSize(1);
  }

  @Test
  void truncatingPastTheEndOrAnUnknownPartitionFails() {
    SupportsTruncation truncating = truncating();
    log.createStream(STREAM, 2);
    log.append(STREAM, records("r", 10));
    Position end = log.endPositions(STREAM).get(0);

    assertThatThrownBy(() -> truncating.truncate(STREAM, end.next()))
        .isInstanceOf(IllegalArgumentException.class);
    assertNotFound(() -> truncating.truncate(STREAM, Position.start(2)));
    assertNotFound(() -> truncating.truncate("missing", Position.start(0)));
    assertThat(log.startPositions(STREAM)).containsExactly(Position.start(0), Position.start(1));
  }

  @Test
  void truncationLeavesOtherPartitionsAlone() {
    SupportsTruncation truncating = truncating();
    log.createStream(STREAM, 2);
    List<Position> positions = log.append(STREAM, records("r", 40));
    List<Position> ends = log.endPositions(STREAM);

    truncating.truncate(STREAM, ends.get(0));

    assertThat(log.startPositions(STREAM)).containsExactly(ends.get(0), Position.start(1));
    long inOne = positions.stream().filter(position -> position.partition() == 1).count();
    assertThat(log.read(STREAM, Position.start(1), 100)).hasSize((int) inOne);
  }

  @Test
  void deleteStreamRemovesItsRecords() {
    log.createStream(STREAM, 2);
    log.createStream("orders", 1);
    log.append(STREAM, records("r", 10));
    try {
      log.deleteStream(STREAM);
    } catch (UnsupportedBackendOperationException e) {
      abort(log.displayName() + " does not delete streams");
    }

    assertThat(log.streams()).containsExactly("orders");
    assertNotFound(() -> log.read(STREAM, Position.start(0), 10));
    assertNotFound(() -> log.append(STREAM, records("r", 1)));
    assertNotFound(() -> log.deleteStream(STREAM));
    log.createStream(STREAM, 3);
    assertThat(log.endPositions(STREAM)).isEqualTo(log.startPositions(STREAM));
    assertThat(readAll(STREAM)).isEmpty();
  }

  @Test
  void closingIsIdempotentAndEndsUse() {
    log.createStream(STREAM, 1);

    log.close();
    log.close();

    assertThatThrownBy(() -> log.streams()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> log.append(STREAM, records("r", 1)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> log.read(STREAM, Position.start(0), 1))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void concurrentAppendersLoseNothing() throws Exception {
    int threads = 8;
    int appendsPerThread = 150;
    log.createStream(STREAM, 4);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Map<Position, LogRecord>>> futures = new ArrayList<>();
    try {
      for (int thread = 0; thread < threads; thread++) {
        int id = thread;
        futures.add(pool.submit(() -> {
          Random random = new Random(id);
          Map<Position, LogRecord> appended = new HashMap<>();
          go.await();
          for (int i = 0; i < appendsPerThread; i++) {
            List<LogRecord> batch = new ArrayList<>();
            for (int j = random.nextInt(4); j >= 0; j--) {
              batch.add(record("key-" + random.nextInt(50), id + "/" + i + "/" + j, i));
            }
            List<Position> positions = log.append(STREAM, batch);
            for (int j = 0; j < batch.size(); j++) {
              assertThat(appended.put(positions.get(j), batch.get(j))).isNull();
            }
          }
          return appended;
        }));
      }
      go.countDown();
      Map<Position, LogRecord> expected = new HashMap<>();
      for (Future<Map<Position, LogRecord>> future : futures) {
        for (Map.Entry<Position, LogRecord> entry : future.get().entrySet()) {
          assertThat(expected.put(entry.getKey(), entry.getValue()))
              .as("position %s handed out twice", entry.getKey()).isNull();
        }
      }

      List<LogEntry> all = readAll(STREAM);
      Map<Position, LogRecord> read = new HashMap<>();
      all.forEach(entry -> read.put(entry.position(), entry.record()));
      assertThat(read).hasSize(all.size()).isEqualTo(expected);
      if (offsetsAreContiguous()) {
        long[] next = new long[4];
        for (LogEntry entry : all) {
          assertThat(entry.position().offset()).isEqualTo(next[entry.position().partition()]++);
        }
        for (int partition = 0; partition < 4; partition++) {
          assertThat(log.endPositions(STREAM).get(partition).offset()).isEqualTo(next[partition]);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Every record of {@code stream}, partition by partition, read in pages. */
  protected List<LogEntry> readAll(String stream) {
    List<LogEntry> all = new ArrayList<>();
    for (Position start : log.startPositions(stream)) {
      Position from = start;
      for (List<LogEntry> page = log.read(stream, from, 500); !page.isEmpty();
          page = log.read(stream, from, 500)) {
        all.addAll(page);
        from = page.get(page.size() - 1).position().next();
      }
    }
    return all;
  }

  /** {@code count} records with keys {@code prefix-0}, ... and values equal to their keys. */
  protected static List<LogRecord> records(String prefix, int count) {
    List<LogRecord> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(record(prefix + "-" + i, prefix + "-" + i, 1_000L + i));
    }
    return records;
  }

  protected static LogRecord record(String key, String value, long timestampMillis) {
    return new LogRecord(key.getBytes(StandardCharsets.UTF_8),
        value.getBytes(StandardCharsets.UTF_8), timestampMillis);
  }

  protected static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static Position position(int partition, long offset) {
    return new Position(partition, offset);
  }

  private SupportsTruncation truncating() {
    assumeTrue(log instanceof SupportsTruncation, log.displayName() + " does not truncate");
    return (SupportsTruncation) log;
  }

  private static void assertNotFound(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOf(NotFoundException.class)
        .hasMessageStartingWith("Cannot");
  }
}
