package dev.lockstep.embedded.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.CorruptDataException;
import dev.lockstep.spi.BackendConfigException;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.Backends;
import dev.lockstep.spi.EntityKey;
import dev.lockstep.spi.online.OnlineStore;
import dev.lockstep.testkit.contract.OnlineStoreContract;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

class RocksDbOnlineStoreTest extends OnlineStoreContract {
  private static final long CACHE = 8 << 20;
  private static final Pattern ACK = Pattern.compile("ack (\\d+) end");

  @TempDir Path dir;

  @Override
  protected OnlineStore newStore() {
    return Backends.load(
        OnlineStore.class,
        "rocksdb",
        Map.of(
            RocksDbOnlineStoreFactory.DIR,
            dir.resolve("contract").toString(),
            RocksDbOnlineStoreFactory.BLOCK_CACHE_MB,
            "8"));
  }

  @Test
  void theFactoryDeclaresItsPropertiesAndDefaults() {
    assertThat(store).isInstanceOf(RocksDbOnlineStore.class);
    assertThat(store.name()).isEqualTo("rocksdb");
    assertThat(store.displayName()).isEqualTo("RocksDB");
    assertThat(Backends.available(OnlineStore.class)).contains("rocksdb");
    assertThat(RocksDbOnlineStoreFactory.DIR).isEqualTo("dir");
    assertThat(RocksDbOnlineStoreFactory.BLOCK_CACHE_MB).isEqualTo("block-cache-mb");
    assertThat(RocksDbOnlineStoreFactory.BLOCK_CACHE_MB_DEFAULT).isEqualTo(256);
    assertThat(((RocksDbOnlineStore) store).directory()).isEqualTo(dir.resolve("contract"));
  }

  @Test
  void theFactoryRejectsBadProperties() {
    assertThatThrownBy(() -> Backends.load(OnlineStore.class, "rocksdb", Map.of()))
        .isInstanceOf(BackendConfigException.class)
        .hasMessage(
            "Cannot configure backend 'rocksdb': property 'dir' is required but not set"
                + " (set it in the rocksdb properties)");
    Map<String, String> zeroCache =
        Map.of("dir", dir.resolve("zero").toString(), "block-cache-mb", "0");
    assertThatThrownBy(() -> Backends.load(OnlineStore.class, "rocksdb", zeroCache))
        .isInstanceOf(BackendConfigException.class)
        .hasMessage(
            "Cannot configure backend 'rocksdb': property 'block-cache-mb' must be at least 1,"
                + " got 0 (give the block cache size in MiB, e.g. 256)");
    assertThat(dir.resolve("zero")).doesNotExist();
  }

  @Test
  void aReopenedStoreHasItsDataCheckpointsAndExpiries() {
    Path path = dir.resolve("reopen");
    try (RocksDbOnlineStore first = RocksDbOnlineStore.open(path, CACHE)) {
      first.write("payments", List.of(entry("u1", "one"), entry("u2", "two")));
      first.write("sessions", List.of(entry("u1", "kept")), Duration.ofHours(1));
      first.write("sessions", List.of(entry("u2", "expired")), Duration.ofMillis(1));
      first.writeWithCheckpoint(
          Map.of("counts", List.of(entry("u1", "c1"))), "stream", utf8("offset=7"));
      first.write("dropped", List.of(entry("u1", "gone")));
      first.dropView("dropped");
      first.delete("payments", key("u2"));
    }

    try (RocksDbOnlineStore second = RocksDbOnlineStore.open(path, CACHE)) {
      assertThat(texts(second.read("payments", keys("u1", "u2")))).containsExactly("one", null);
      assertThat(texts(second.read("sessions", keys("u1", "u2")))).containsExactly("kept", null);
      assertThat(texts(second.read("counts", keys("u1")))).containsExactly("c1");
      assertThat(second.read("dropped", keys("u1"))).containsExactly((byte[]) null);
      assertThat(second.checkpoint("stream").map(OnlineStoreContract::text)).contains("offset=7");
    }
  }

  @Test
  void aSecondOpenInTheSameProcessIsRefused() {
    Path path = dir.resolve("contract");

    assertThatThrownBy(() -> RocksDbOnlineStore.open(path, CACHE))
        .isInstanceOf(BackendException.class)
        .hasMessage(
            "Cannot open the online store at "
                + path
                + ": this process has it open already"
                + " (close the other instance first, or share one instance)");
    store.write("still-usable", List.of(entry("u1", "one")));
    assertThat(texts(store.read("still-usable", keys("u1")))).containsExactly("one");
  }

  @Test
  @Timeout(60)
  void aSecondProcessCannotOpenTheStore() throws Exception {
    Path path = dir.resolve("held");
    Process holder = startProcess("hold", path.toString());
    try {
      BufferedReader output = reader(holder);
      assertThat(output.readLine()).isEqualTo("open");

      assertThatThrownBy(() -> RocksDbOnlineStore.open(path, CACHE))
          .isInstanceOf(BackendException.class)
          .hasMessage(
              "Cannot open the online store at "
                  + path
                  + ": another process holds it"
                  + " (is `lockstep serve` running? stop it or send requests to the server)");

      holder.getOutputStream().close();
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(holder.exitValue()).isZero();
    } finally {
      holder.destroyForcibly();
    }
    RocksDbOnlineStore.open(path, CACHE).close();
  }

  @Test
  void anUnknownFormatVersionIsRefused() throws RocksDBException {
    Path path = dir.resolve("future");
    RocksDbOnlineStore.open(path, CACHE).close();
    withRawDatabase(
        path,
        (db, families) ->
            db.put(families.get(0), Database.bytes(Database.FORMAT_KEY), Database.bytes("2")));

    assertThatThrownBy(() -> RocksDbOnlineStore.open(path, CACHE))
        .isInstanceOf(CorruptDataException.class)
        .hasMessage(
            "Cannot open the online store at "
                + path
                + ": it is in format 'lockstep.online-store' version '2', this Lockstep reads"
                + " version 1 (upgrade Lockstep, or move the directory away and rebuild the online"
                + " store)");
    // The refused open released the database: it opens again.
    withRawDatabase(
        path,
        (db, families) ->
            assertThat(db.get(families.get(0), Database.bytes(Database.FORMAT_KEY)))
                .isEqualTo(Database.bytes("2")));
  }

  @Test
  void aRocksDbDatabaseOfAnotherFormatIsRefused() throws RocksDBException {
    Path path = dir.resolve("foreign");
    try (Options options = new Options().setCreateIfMissing(true);
        RocksDB db = RocksDB.open(options, path.toString())) {
      db.put(Database.bytes("someone"), Database.bytes("else's data"));
    }

    assertThatThrownBy(() -> RocksDbOnlineStore.open(path, CACHE))
        .isInstanceOf(CorruptDataException.class)
        .hasMessage(
            "Cannot open the online store at "
                + path
                + ": it holds a RocksDB database that is not a Lockstep online store, with column"
                + " families [default] (give the online store a directory of its own)");
    // Looked at read-only: the owner can still open it with its own column families.
    try (Options options = new Options();
        RocksDB db = RocksDB.open(options, path.toString())) {
      assertThat(db.get(Database.bytes("someone"))).isEqualTo(Database.bytes("else's data"));
    }
  }

  @Test
  void anEmptyDatabaseWithoutItsMarkerIsAdopted() throws RocksDBException {
    // A process that died between creating the database and writing the marker left this.
    Path path = dir.resolve("unmarked");
    try (Options options = new Options().setCreateIfMissing(true);
        RocksDB db = RocksDB.open(options, path.toString())) {
      assertThat(db.get(Database.bytes(Database.FORMAT_KEY))).isNull();
    }

    RocksDbOnlineStore.open(path, CACHE).close();

    withRawDatabase(
        path,
        (db, families) ->
            assertThat(db.get(families.get(0), Database.bytes(Database.FORMAT_KEY)))
                .isEqualTo(Database.bytes("1")));
  }

  @Test
  @Timeout(60)
  void closingWhileOthersReadWaitsForThemAndThenRefusesCalls() throws Exception {
    store.write("payments", List.of(entry("u1", "one"), entry("u2", "two")));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Throwable>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(
            pool.submit(
                () -> {
                  try {
                    while (true) {
                      assertThat(texts(store.read("payments", keys("u1", "u2"))))
                          .containsExactly("one", "two");
                    }
                  } catch (IllegalStateException e) {
                    return e;
                  }
                }));
      }
      Thread.sleep(100);
      store.close();
      for (Future<Throwable> reader : readers) {
        assertThat(reader.get(30, TimeUnit.SECONDS))
            .hasMessageStartingWith("Cannot read view 'payments': the online store at ")
            .hasMessageEndingWith(" is closed (open it again to use it)");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A child process writes batches with {@code writeWithCheckpoint} and is killed (SIGKILL) at a
   * random moment, five times. After each kill the store holds every batch the child saw
   * acknowledged, and no batch in part: every value carries the checkpoint's batch number.
   */
  @Test
  @Timeout(120)
  void aKilledWriterLosesNoAcknowledgedBatchAndLeavesNoneHalfWritten() throws Exception {
    Path path = dir.resolve("crash");
    int entriesPerView = 50;
    Random random = new Random(20_240_611);
    long previousCheckpoint = 0;
    for (int round = 0; round < 5; round++) {
      Process writer = startProcess("write", path.toString(), Integer.toString(entriesPerView));
      long acknowledged = 0;
      List<String> other = new ArrayList<>();
      try (BufferedReader output = reader(writer)) {
        String first = output.readLine();
        assertThat(first).as("first line of the writer").isEqualTo("open");
        Thread.sleep(100 + random.nextInt(400));
        // SIGKILL through the handle: Process.destroyForcibly would also close our end of the
        // pipe, losing the acknowledgements not read yet.
        writer.toHandle().destroyForcibly();
        assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(writer.exitValue()).as("exit status of a killed process").isEqualTo(137);
        for (String line = output.readLine(); line != null; line = output.readLine()) {
          Matcher ack = ACK.matcher(line);
          if (ack.matches()) {
            acknowledged = Math.max(acknowledged, Long.parseLong(ack.group(1)));
          } else if (!line.startsWith("ack") && other.size() < 20) {
            // (A line cut short by the kill starts with "ack" and is not an acknowledgement.)
            other.add(line);
          }
        }
      } finally {
        writer.destroyForcibly();
      }
      assertThat(other).as("unexpected output of the writer").allMatch(String::isEmpty);

      try (RocksDbOnlineStore reopened = RocksDbOnlineStore.open(path, CACHE)) {
        long checkpoint =
            reopened.checkpoint(StoreProcess.CONSUMER).map(StoreProcess::longOf).orElse(0L);
        assertThat(checkpoint)
            .as("checkpoint after round %d", round)
            .isGreaterThanOrEqualTo(acknowledged)
            .isGreaterThanOrEqualTo(previousCheckpoint);
        List<EntityKey> entityKeys = new ArrayList<>();
        for (int i = 0; i < entriesPerView; i++) {
          entityKeys.add(StoreProcess.key(i));
        }
        for (String view : StoreProcess.VIEWS) {
          List<byte[]> values = reopened.read(view, entityKeys);
          assertThat(values)
              .as("batch numbers in view %s after round %d, checkpoint %d", view, round, checkpoint)
              .allSatisfy(
                  value ->
                      assertThat(value == null ? 0L : StoreProcess.longOf(value))
                          .isEqualTo(checkpoint));
        }
        previousCheckpoint = checkpoint;
      }
    }
    assertThat(previousCheckpoint).as("batches written over all rounds").isPositive();
  }

  private Process startProcess(String... args) throws IOException {
    Path libraries = dir.resolve("native");
    Files.createDirectories(libraries);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx128m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(StoreProcess.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // RocksDB extracts its native library here instead of a temporary file that a killed
    // process would leave behind.
    builder.environment().put("ROCKSDB_SHAREDLIB_DIR", libraries.toString());
    return builder.start();
  }

  private static BufferedReader reader(Process process) {
    return new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  private interface RawAction {
    void run(RocksDB db, List<ColumnFamilyHandle> families) throws RocksDBException;
  }

  /**
   * Runs {@code action} on the database of {@code path} opened directly, column families in order.
   */
  private static void withRawDatabase(Path path, RawAction action) throws RocksDBException {
    List<ColumnFamilyDescriptor> descriptors =
        List.of(
            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY),
            new ColumnFamilyDescriptor(Database.bytes(Database.VIEWS)),
            new ColumnFamilyDescriptor(Database.bytes(Database.CHECKPOINTS)));
    List<ColumnFamilyHandle> families = new ArrayList<>();
    try (DBOptions options =
            new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        RocksDB db = RocksDB.open(options, path.toString(), descriptors, families)) {
      action.run(db, families);
    }
  }
}
