package dev.lockstep.embedded.iceberg;

import static dev.lockstep.embedded.iceberg.Payments.DAY;
import static dev.lockstep.embedded.iceberg.Payments.DAY_ONE;
import static dev.lockstep.embedded.iceberg.Payments.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.spi.NotFoundException;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.spi.offline.SupportsIdempotentAppends.Appended;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdempotentAppendTest {
  @TempDir Path warehouse;

  private static final List<Row> ROWS =
      List.of(row(DAY_ONE, 7, "c1", 1.0, "m", 1L), row(DAY_ONE + DAY, 9, "c2", 2.0, null, 2L));

  @Test
  void theSameKeyAppendsOnceAndReturnsTheFirstCommit() {
    try (IcebergOfflineStore store = IcebergOfflineStore.open(warehouse)) {
      store.createTable("payments", Payments.SCHEMA);

      Appended first = store.append("payments", ROWS, "file-sha-1");
      Appended again = store.append("payments", ROWS, "file-sha-1");

      assertThat(first.duplicate()).isFalse();
      assertThat(again.duplicate()).isTrue();
      assertThat(again.snapshot()).isEqualTo(first.snapshot());
      assertThat(store.snapshots("payments")).containsExactly(first.snapshot());
      assertThat(IcebergOfflineStoreTest.scan(store, "payments", ScanRequest.latest()))
          .isEqualTo(ROWS);
      assertThat(store.findCommit("payments", "file-sha-1")).contains(first.snapshot());
      assertThat(store.findCommit("payments", "file-sha-2")).isEmpty();
    }
  }

  @Test
  void theKeyAndTheHighestSequenceSurviveReopeningTheWarehouse() {
    Appended first;
    try (IcebergOfflineStore store = IcebergOfflineStore.open(warehouse)) {
      store.createTable("payments", Payments.SCHEMA);
      assertThat(store.highestSequence("payments")).isZero();
      first = store.append("payments", ROWS, "file-sha-1");
      assertThat(store.highestSequence("payments")).isEqualTo(9);
    }

    try (IcebergOfflineStore reopened = IcebergOfflineStore.open(warehouse)) {
      assertThat(reopened.highestSequence("payments")).isEqualTo(9);
      Appended again = reopened.append("payments", ROWS, "file-sha-1");

      assertThat(again).isEqualTo(new Appended(first.snapshot(), true));
      assertThat(IcebergOfflineStoreTest.scan(reopened, "payments", ScanRequest.latest()))
          .isEqualTo(ROWS);
    }
  }

  @Test
  void theHighestSequenceNeverGoesDownAndPlainAppendsRaiseIt() {
    try (IcebergOfflineStore store = IcebergOfflineStore.open(warehouse)) {
      store.createTable("payments", Payments.SCHEMA);
      store.append("payments", List.of(row(DAY_ONE, 50, "c", 1.0, "m", 1L)));
      assertThat(store.highestSequence("payments")).isEqualTo(50);

      store.append("payments", List.of(row(DAY_ONE, 20, "c", 1.0, "m", 1L)), "older-file");

      assertThat(store.highestSequence("payments")).isEqualTo(50);
    }
  }

  @Test
  void anEmptyAppendWithAKeyCommitsAnEmptySnapshotThatRemembersIt() {
    try (IcebergOfflineStore store = IcebergOfflineStore.open(warehouse)) {
      store.createTable("payments", Payments.SCHEMA);
      store.append("payments", ROWS, "file-1");

      Appended empty = store.append("payments", List.of(), "empty-file");

      assertThat(empty.duplicate()).isFalse();
      assertThat(store.snapshots("payments")).hasSize(2).last().isEqualTo(empty.snapshot());
      assertThat(store.findCommit("payments", "empty-file")).contains(empty.snapshot());
      assertThat(store.highestSequence("payments")).isEqualTo(9);
      assertThat(store.append("payments", List.of(), "empty-file").duplicate()).isTrue();
      assertThat(IcebergOfflineStoreTest.scan(store, "payments", ScanRequest.latest()))
          .isEqualTo(ROWS);
    }
  }

  @Test
  void aBlankKeyOrAMissingTableIsRejected() {
    try (IcebergOfflineStore store = IcebergOfflineStore.open(warehouse)) {
      store.createTable("payments", Payments.SCHEMA);

      assertThatThrownBy(() -> store.append("payments", ROWS, " "))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Cannot append to table 'payments': the commit key is blank (derive it from the"
                  + " input)");
      assertThatThrownBy(() -> store.append("missing", ROWS, "k"))
          .isInstanceOf(NotFoundException.class)
          .hasMessage(
              "Cannot append to table 'missing': no such table in iceberg (tables: payments)");
      assertThatThrownBy(() -> store.highestSequence("missing"))
          .isInstanceOf(NotFoundException.class);
    }
  }

  @Test
  void concurrentAppendsFromTwoThreadsBothSucceed() throws Exception {
    try (IcebergOfflineStore store = IcebergOfflineStore.open(warehouse)) {
      store.createTable("payments", Payments.SCHEMA);
      List<Row> left = Payments.random(new Random(1), 200, 3, 1);
      List<Row> right = Payments.random(new Random(2), 200, 3, 1_001);
      int rounds = 4;

      List<Long> snapshots =
          race(
              () -> appendRounds(store, left, rounds, "left"),
              () -> appendRounds(store, right, rounds, "right"));

      assertThat(snapshots).doesNotHaveDuplicates().hasSize(2 * rounds);
      assertThat(store.snapshots("payments")).hasSize(2 * rounds);
      List<Row> expected = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        expected.addAll(left);
        expected.addAll(right);
      }
      assertThat(IcebergOfflineStoreTest.scan(store, "payments", ScanRequest.latest()))
          .containsExactlyInAnyOrderElementsOf(expected);
      assertThat(store.highestSequence("payments")).isEqualTo(1_200);
    }
  }

  private static List<Long> appendRounds(
      IcebergOfflineStore store, List<Row> rows, int rounds, String side) {
    List<Long> ids = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      if (round % 2 == 0) {
        ids.add(store.append("payments", rows));
      } else {
        ids.add(store.append("payments", rows, side + "-" + round).snapshot().id());
      }
    }
    return ids;
  }

  /**
   * Two stores on one warehouse have separate catalogs and connections, as two processes would:
   * racing with the same key, exactly one appends.
   */
  @Test
  void twoStoresRacingWithOneKeyAppendOnce() throws Exception {
    try (IcebergOfflineStore one = IcebergOfflineStore.open(warehouse);
        IcebergOfflineStore two = IcebergOfflineStore.open(warehouse)) {
      one.createTable("payments", Payments.SCHEMA);
      for (int round = 0; round < 5; round++) {
        String key = "file-" + round;
        List<Row> rows = List.of(row(DAY_ONE + round, 100 + round, "c", 1.0, "m", 1L));

        List<Appended> results =
            race(
                () -> List.of(one.append("payments", rows, key)),
                () -> List.of(two.append("payments", rows, key)));

        assertThat(results).extracting(Appended::duplicate).containsExactlyInAnyOrder(true, false);
        assertThat(results.get(0).snapshot()).isEqualTo(results.get(1).snapshot());
      }
      assertThat(IcebergOfflineStoreTest.scan(two, "payments", ScanRequest.latest())).hasSize(5);
      assertThat(one.highestSequence("payments")).isEqualTo(104);
    }
  }

  /**
   * Real processes, each with its own JVM, catalog connections and SQLite file locks: three race
   * with one key, so exactly one appends and the others see its commit.
   */
  @Test
  void processesRacingWithOneKeyAppendOnce() throws Exception {
    try (IcebergOfflineStore store = IcebergOfflineStore.open(warehouse)) {
      store.createTable("payments", Payments.SCHEMA);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    long startAt = System.currentTimeMillis() + 4_000;
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      processes.add(
          new ProcessBuilder(
                  java,
                  "-cp",
                  classPath,
                  AppendProcess.class.getName(),
                  warehouse.toString(),
                  "shared-key",
                  Integer.toString(10 + i),
                  Long.toString(startAt))
              .redirectErrorStream(true)
              .start());
    }
    List<String> outputs = new ArrayList<>();
    for (Process process : processes) {
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as(output).isZero();
      outputs.add(
          output.lines().filter(line -> line.startsWith("duplicate=")).findFirst().orElse(output));
    }

    assertThat(outputs).filteredOn(line -> line.startsWith("duplicate=false")).hasSize(1);
    assertThat(outputs).filteredOn(line -> line.startsWith("duplicate=true")).hasSize(2);
    assertThat(outputs.stream().map(line -> line.substring(line.indexOf(' '))).distinct())
        .hasSize(1);
    try (IcebergOfflineStore store = IcebergOfflineStore.open(warehouse)) {
      assertThat(store.snapshots("payments")).hasSize(1);
      assertThat(IcebergOfflineStoreTest.scan(store, "payments", ScanRequest.latest())).hasSize(1);
    }
  }

  /** Runs both at once, released together by a barrier, and returns their results in order. */
  private static <T> List<T> race(Callable<List<T>> first, Callable<List<T>> second)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CyclicBarrier start = new CyclicBarrier(2);
    try {
      Future<List<T>> a =
          pool.submit(
              () -> {
                start.await();
                return first.call();
              });
      Future<List<T>> b =
          pool.submit(
              () -> {
                start.await();
                return second.call();
              });
      List<T> results = new ArrayList<>(a.get(60, TimeUnit.SECONDS));
      results.addAll(b.get(60, TimeUnit.SECONDS));
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
