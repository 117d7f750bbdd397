package dev.lockstep.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.lockstep.spi.registry.CommitConflictException;
import dev.lockstep.spi.registry.RegistryStore;
import dev.lockstep.spi.registry.RegistryVersion;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link RegistryStore} keeps, run by each backend's test class:
 *
 * <pre>{@code
 * class FileRegistryStoreContractTest extends RegistryStoreContract {
 *   @TempDir Path dir;
 *
 *   @Override
 *   protected RegistryStore newStore() {
 *     return Backends.load(RegistryStore.class, "file", Map.of("dir", dir.toString()));
 *   }
 *
 *   @Override
 *   protected RegistryStore reopen() {
 *     return newStore();
 *   }
 * }
 * }</pre>
 *
 * <p>Covers every rule of the interface's Javadoc: versions from 1 without gaps, compare-and-set
 * commits whose losers get a {@link CommitConflictException} of the documented message and change
 * nothing, every version kept oldest first, durability across instances and reopening, thread
 * safety (writers retrying on conflict lose no update) and the {@link
 * dev.lockstep.spi.Backend} lifecycle. Randomness is seeded.
 */
public abstract class RegistryStoreContract {
  private static final int LARGE_CONTENT_BYTES = 4 << 20;

  /** The store under test; closed after each test. */
  protected RegistryStore store;

  private final List<RegistryStore> reopened = new ArrayList<>();

  /** A new store holding no version. Called once before each test; the suite closes it. */
  protected abstract RegistryStore newStore();

  /**
   * Another instance on the storage of the last {@link #newStore()}, as another process would open
   * it. Called while {@link #store} is open or after it was closed; the suite closes it.
   */
  protected abstract RegistryStore reopen();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStores() {
    reopened.forEach(RegistryStore::close);
    if (store != null) {
      store.close();
    }
  }

  @Test
  void aNewRegistryHasNoVersion() {
    assertThat(store.current()).isEmpty();
    assertThat(store.history()).isEmpty();
    assertThat(store.version(1)).isEmpty();
    assertThat(store.version(0)).isEmpty();
    assertThat(store.version(-1)).isEmpty();
  }

  @Test
  void theNameIsLowerCaseAndTheDisplayNameNotBlank() {
    assertThat(store.name()).isNotBlank().isEqualTo(store.name().toLowerCase(Locale.ROOT));
    assertThat(store.displayName()).isNotBlank();
  }

  @Test
  void theFirstCommitIsVersionOne() {
    byte[] content = utf8("{\"entities\": []}");

    RegistryVersion first = store.commit(0, content);

    assertThat(first.version()).isEqualTo(1);
    assertThat(first.content()).isEqualTo(content);
    assertThat(first.committedAt()).isNotNull();
    assertThat(store.current()).contains(first);
    assertThat(store.version(1)).contains(first);
    assertThat(store.version(2)).isEmpty();
    assertThat(store.history()).containsExactly(first);
  }

  @Test
  void eachCommitIsTheNextVersionAndEveryVersionIsKept() {
    Random random = new Random(1);
    List<RegistryVersion> committed = new ArrayList<>();
    for (int version = 1; version <= 12; version++) {
      byte[] content = utf8("{\"version\": " + version + ", \"salt\": " + random.nextLong() + "}");
      RegistryVersion result = store.commit(version - 1, content);
      assertThat(result.version()).isEqualTo(version);
      assertThat(result.content()).isEqualTo(content);
      assertThat(store.current()).contains(result);
      committed.add(result);
    }

    assertThat(store.history()).containsExactlyElementsOf(committed);
    for (RegistryVersion version : committed) {
      assertThat(store.version(version.version())).contains(version);
    }
    assertThat(store.version(13)).isEmpty();
    List<Instant> times = committed.stream().map(RegistryVersion::committedAt).toList();
    assertThat(times).as("commit times, by the store's clock").isSorted();
  }

  @Test
  void aCommitPlannedAgainstAnOlderVersionConflictsAndChangesNothing() {
    store.commit(0, utf8("{\"v\": 1}"));
    RegistryVersion second = store.commit(1, utf8("{\"v\": 2}"));
    List<RegistryVersion> before = store.history();

    assertConflict(() -> store.commit(1, utf8("{\"stale\": true}")), 1, second);
    assertConflict(() -> store.commit(0, utf8("{\"stale\": true}")), 0, second);

    assertThat(store.history()).isEqualTo(before);
    assertThat(store.current()).contains(second);
  }

  @Test
  void aCommitPlannedAgainstAVersionNotYetCommittedConflicts() {
    assertThatThrownBy(() -> store.commit(1, utf8("{}")))
        .isExactlyInstanceOf(CommitConflictException.class)
        .hasMessage(
            "Cannot commit registry change planned against version 1: the registry is empty"
                + " (re-run plan, then apply)")
        .satisfies(
            e -> {
              CommitConflictException conflict = (CommitConflictException) e;
              assertThat(conflict.expectedVersion()).isEqualTo(1);
              assertThat(conflict.currentVersion()).isZero();
            });
    assertThat(store.history()).isEmpty();

    RegistryVersion first = store.commit(0, utf8("{}"));
    assertConflict(() -> store.commit(2, utf8("{}")), 2, first);
    assertConflict(() -> store.commit(7, utf8("{}")), 7, first);

    assertThat(store.history()).containsExactly(first);
    assertThat(store.version(3)).isEmpty();
    assertThat(store.version(8)).isEmpty();
  }

  @Test
  void afterAConflictACommitAgainstTheCurrentVersionSucceeds() {
    store.commit(0, utf8("{\"v\": 1}"));
    store.commit(1, utf8("{\"v\": 2}"));
    CommitConflictException conflict =
        catchConflict(() -> store.commit(1, utf8("{\"v\": \"replanned\"}")));

    RegistryVersion third = store.commit(conflict.currentVersion(), utf8("{\"v\": 3}"));

    assertThat(third.version()).isEqualTo(3);
    assertThat(store.history()).extracting(RegistryVersion::version).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aNegativeExpectedVersionIsRejected() {
    assertThatThrownBy(() -> store.commit(-1, utf8("{}")))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot ");
    store.commit(0, utf8("{}"));
    assertThatThrownBy(() -> store.commit(-1, utf8("{}")))
        .isExactlyInstanceOf(IllegalArgumentException.class);

    assertThat(store.history()).hasSize(1);
  }

  @Test
  void anyBytesRoundTripExactly() {
    byte[] everyByte = new byte[256];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = (byte) i;
    }
    List<byte[]> contents =
        List.of(
            new byte[0],
            everyByte,
            new byte[] {0},
            new byte[] {'{', (byte) 0xFF, (byte) 0xFE, '}'},
            utf8("{\"name\": \"ünïcødé 🔑\", \"quote\": \"\\\"\"}"),
            utf8("{\"a\": 1}\n}\n\"}\n"),
            utf8("[1, 2, 3]"),
            utf8("not json at all\n"),
            utf8("{"),
            utf8("\"}\n"));
    List<RegistryVersion> committed = new ArrayList<>();
    for (byte[] content : contents) {
      committed.add(store.commit(committed.size(), content));
    }

    for (int i = 0; i < contents.size(); i++) {
      assertThat(store.version(i + 1).orElseThrow().content())
          .as("content of version %d", i + 1)
          .isEqualTo(contents.get(i));
    }
    assertThat(store.history()).containsExactlyElementsOf(committed);
    assertThat(store.current().orElseThrow().content()).isEqualTo(contents.get(contents.size() - 1));
  }

  @Test
  void contentOfSeveralMegabytesRoundTrips() {
    Random random = new Random(2);
    byte[] binary = new byte[LARGE_CONTENT_BYTES];
    random.nextBytes(binary);
    StringBuilder json = new StringBuilder("{\"features\": [");
    while (json.length() < 3 * (1 << 20)) {
      json.append("{\"name\": \"f").append(random.nextInt(1_000_000)).append("\"}, ");
    }
    byte[] text = utf8(json.append("{}]}").toString());

    RegistryVersion first = store.commit(0, binary);
    RegistryVersion second = store.commit(1, text);

    assertThat(store.version(1).orElseThrow().content()).isEqualTo(binary);
    assertThat(store.current()).contains(second);
    assertThat(store.history()).containsExactly(first, second);
  }

  @Test
  void versionsSurviveClosingAndReopening() {
    store.commit(0, utf8("{\"v\": 1}"));
    store.commit(1, utf8("{\"v\": 2}"));
    RegistryVersion third = store.commit(2, new byte[] {0, 1, 2});
    List<RegistryVersion> history = store.history();
    store.close();

    RegistryStore again = reopenTracked();

    assertThat(again.history()).isEqualTo(history);
    assertThat(again.current()).contains(third);
    assertThat(again.version(2)).contains(history.get(1));
    assertConflict(() -> again.commit(2, utf8("{}")), 2, third);
    assertThat(again.commit(3, utf8("{\"v\": 4}")).version()).isEqualTo(4);
  }

  @Test
  void instancesOnTheSameStorageSeeEachOthersCommits() {
    RegistryStore other = reopenTracked();

    RegistryVersion first = store.commit(0, utf8("{\"by\": \"store\"}"));
    assertThat(other.current()).contains(first);
    RegistryVersion second = other.commit(1, utf8("{\"by\": \"other\"}"));
    assertThat(store.current()).contains(second);

    assertConflict(() -> store.commit(1, utf8("{\"by\": \"store, stale\"}")), 1, second);
    assertThat(other.history()).containsExactly(first, second);
    assertThat(store.history()).containsExactly(first, second);
  }

  /** Writers that all plan against the same version: exactly one commit wins. */
  @Test
  @Timeout(60)
  void ofWritersRacingForOneVersionExactlyOneWins() throws Exception {
    store.commit(0, utf8("{\"base\": true}"));
    int writers = 8;
    List<RegistryStore> stores = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      stores.add(i % 2 == 0 ? store : reopenTracked());
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<RegistryVersion>> results = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        RegistryStore writer = stores.get(i);
        byte[] content = utf8("{\"writer\": " + i + "}");
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    return writer.commit(1, content);
                  } catch (CommitConflictException e) {
                    assertThat(e.expectedVersion()).isEqualTo(1);
                    assertThat(e.currentVersion()).isEqualTo(2);
                    return null;
                  }
                }));
      }
      start.countDown();
      List<RegistryVersion> winners = new ArrayList<>();
      for (Future<RegistryVersion> result : results) {
        RegistryVersion version = result.get(60, TimeUnit.SECONDS);
        if (version != null) {
          winners.add(version);
        }
      }
      assertThat(winners).hasSize(1);
      assertThat(store.current()).contains(winners.get(0));
      assertThat(store.history()).extracting(RegistryVersion::version).containsExactly(1L, 2L);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Four threads each make 25 read-modify-write updates, appending their own line to the document
   * and retrying on conflict: every update lands exactly once, each version is its predecessor
   * plus one line, and the history has one version per update.
   */
  @Test
  @Timeout(120)
  void concurrentWritersRetryingOnConflictLoseNoUpdate() throws Exception {
    int writers = 4;
    int updatesPerWriter = 25;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<List<Long>>> results = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  List<Long> mine = new ArrayList<>();
                  for (int update = 0; update < updatesPerWriter; update++) {
                    String line = "writer " + writer + " update " + update + "\n";
                    while (true) {
                      RegistryVersion current = store.current().orElse(null);
                      long expected = current == null ? 0 : current.version();
                      String text = current == null ? "" : text(current.content());
                      try {
                        mine.add(store.commit(expected, utf8(text + line)).version());
                        break;
                      } catch (CommitConflictException e) {
                        assertThat(e.expectedVersion()).isEqualTo(expected);
                        assertThat(e.currentVersion()).isGreaterThan(expected);
                      }
                    }
                  }
                  return mine;
                }));
      }
      start.countDown();
      List<Long> committedVersions = new ArrayList<>();
      for (Future<List<Long>> result : results) {
        committedVersions.addAll(result.get(120, TimeUnit.SECONDS));
      }

      int total = writers * updatesPerWriter;
      assertThat(committedVersions).doesNotHaveDuplicates().hasSize(total);
      List<RegistryVersion> history = store.history();
      assertThat(history).extracting(RegistryVersion::version).containsExactlyElementsOf(
          LongStream.rangeClosed(1, total).boxed().toList());
      Map<String, Integer> seen = new HashMap<>();
      String previous = "";
      for (RegistryVersion version : history) {
        String text = text(version.content());
        assertThat(text).as("version %d extends its predecessor", version.version())
            .startsWith(previous);
        String added = text.substring(previous.length());
        assertThat(added).as("version %d adds one line", version.version())
            .matches("writer \\d+ update \\d+\n");
        seen.merge(added, 1, Integer::sum);
        previous = text;
      }
      assertThat(seen).hasSize(total).allSatisfy((line, count) -> assertThat(count).isOne());
      assertThat(Arrays.asList(previous.split("\n"))).hasSize(total);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closeIsIdempotentAndEveryOtherCallThenFails() {
    store.commit(0, utf8("{}"));
    store.close();
    store.close();

    assertThatThrownBy(() -> store.current())
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Cannot ");
    assertThatThrownBy(() -> store.commit(1, utf8("{}")))
        .isExactlyInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.history()).isExactlyInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.version(1)).isExactlyInstanceOf(IllegalStateException.class);

    RegistryStore again = reopenTracked();
    assertThat(again.history()).hasSize(1);
  }

  // ---- helpers ----

  /** {@link #reopen()}, closed by the suite after the test. */
  protected final RegistryStore reopenTracked() {
    RegistryStore again = reopen();
    reopened.add(again);
    return again;
  }

  /**
   * Asserts that {@code commit} fails with exactly the documented conflict, naming {@code current}
   * and when it was committed.
   */
  protected static void assertConflict(
      Runnable commit, long expectedVersion, RegistryVersion current) {
    CommitConflictException conflict = catchConflict(commit);
    assertThat(conflict)
        .hasMessage(
            "Cannot commit registry change planned against version "
                + expectedVersion
                + ": version "
                + current.version()
                + " was committed at "
                + current.committedAt()
                + " by another writer (re-run plan, then apply)");
    assertThat(conflict.expectedVersion()).isEqualTo(expectedVersion);
    assertThat(conflict.currentVersion()).isEqualTo(current.version());
  }

  private static CommitConflictException catchConflict(Runnable commit) {
    Throwable thrown = catchThrowable(commit::run);
    assertThat(thrown).isExactlyInstanceOf(CommitConflictException.class);
    return (CommitConflictException) thrown;
  }

  protected static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  protected static String text(byte[] content) {
    return new String(content, StandardCharsets.UTF_8);
  }
}
