package dev.lockstep.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lockstep.spi.EntityKey;
import dev.lockstep.spi.UnsupportedBackendOperationException;
import dev.lockstep.spi.online.Entry;
import dev.lockstep.spi.online.OnlineStore;
import dev.lockstep.spi.online.SupportsAtomicCheckpoint;
import dev.lockstep.spi.online.SupportsLeases;
import dev.lockstep.spi.online.SupportsTtl;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link OnlineStore} keeps, run by each backend's test class:
 *
 * <pre>{@code
 * class RocksDbOnlineStoreTest extends OnlineStoreContract {
 *   @TempDir Path dir;
 *
 *   @Override
 *   protected OnlineStore newStore() {
 *     return Backends.load(OnlineStore.class, "rocksdb", Map.of("dir", dir.toString()));
 *   }
 * }
 * }</pre>
 *
 * <p>Capabilities are tested when the store has them: {@link SupportsAtomicCheckpoint} and {@link
 * SupportsTtl} tests are skipped (an assumption fails) otherwise, and so is the {@code dropView}
 * test when the store throws {@link UnsupportedBackendOperationException}. Beyond the interfaces'
 * Javadoc, the suite holds stores to one reading of "a reader sees all of it or none of it": a
 * single {@link OnlineStore#read} of several keys never sees part of a {@link
 * SupportsAtomicCheckpoint#writeWithCheckpoint}.
 *
 * <p>Randomness is seeded; the only timing is TTL expiry, checked after the TTL plus a generous
 * margin.
 */
public abstract class OnlineStoreContract {
  private static final Duration SHORT_TTL = Duration.ofMillis(100);
  private static final long EXPIRY_MARGIN_MILLIS = 400;

  /** The store under test; closed after each test. */
  protected OnlineStore store;

  /** A new, empty store. Called once before each test; the suite closes it. */
  protected abstract OnlineStore newStore();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void readsWhatWasWritten() {
    store.write("payments", List.of(entry("u1", "one"), entry("u2", "two"), entry("u3", "three")));

    assertThat(texts(store.read("payments", keys("u3", "u1", "u2"))))
        .containsExactly("three", "one", "two");
    assertThat(texts(store.read("payments", keys("u2")))).containsExactly("two");
  }

  @Test
  void missingKeysReadAsNullInTheirPlace() {
    store.write("payments", List.of(entry("u1", "one"), entry("u3", "three")));

    assertThat(texts(store.read("payments", keys("u0", "u1", "u2", "u3", "u4"))))
        .containsExactly(null, "one", null, "three", null);
    assertThat(store.read("payments", keys("u2"))).containsExactly((byte[]) null);
    assertThat(store.read("never-written", keys("u1", "u3"))).containsExactly(null, null);
    assertThat(store.read("payments", List.of())).isEmpty();
  }

  @Test
  void readReturnsANewModifiableList() {
    store.write("payments", List.of(entry("u1", "one")));

    List<byte[]> values = store.read("payments", keys("u1", "u2"));
    values.add(null);
    values.set(0, null);

    assertThat(texts(store.read("payments", keys("u1", "u2")))).containsExactly("one", null);
  }

  @Test
  void manyKeysKeepTheirOrder() {
    Random random = new Random(7);
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      if (random.nextBoolean()) {
        entries.add(entry("user-" + i, "value-" + i));
      }
    }
    store.write("profiles", entries);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);

    List<byte[]> values =
        store.read("profiles", order.stream().map(i -> key("user-" + i)).toList());

    List<String> expected = new ArrayList<>();
    for (int i : order) {
      boolean written = entries.contains(entry("user-" + i, "value-" + i));
      expected.add(written ? "value-" + i : null);
    }
    assertThat(texts(values)).containsExactlyElementsOf(expected);
  }

  @Test
  void theLastOccurrenceOfAKeyInABatchWins() {
    store.write(
        "payments",
        List.of(
            entry("u1", "first"),
            entry("u2", "other"),
            entry("u1", "second"),
            entry("u1", "last")));

    assertThat(texts(store.read("payments", keys("u1", "u2")))).containsExactly("last", "other");
  }

  @Test
  void aWriteReplacesTheValue() {
    store.write("payments", List.of(entry("u1", "old"), entry("u2", "kept")));
    store.write("payments", List.of(entry("u1", "new, and longer than the old value")));
    store.write("payments", List.of(entry("u1", "new")));

    assertThat(texts(store.read("payments", keys("u1", "u2")))).containsExactly("new", "kept");
  }

  @Test
  void writingNoEntriesDoesNothing() {
    store.write("payments", List.of());

    assertThat(store.read("payments", keys("u1"))).containsExactly((byte[]) null);
  }

  @Test
  void deleteRemovesOneKeyOfOneView() {
    store.write("payments", List.of(entry("u1", "one"), entry("u2", "two")));
    store.write("profiles", List.of(entry("u1", "profile")));

    store.delete("payments", key("u1"));
    store.delete("payments", key("never-written"));
    store.delete("never-written", key("u1"));

    assertThat(texts(store.read("payments", keys("u1", "u2")))).containsExactly(null, "two");
    assertThat(texts(store.read("profiles", keys("u1")))).containsExactly("profile");
    store.write("payments", List.of(entry("u1", "again")));
    assertThat(texts(store.read("payments", keys("u1")))).containsExactly("again");
  }

  @Test
  void dropViewRemovesThatViewOnly() {
    store.write("payments", List.of(entry("u1", "one"), entry("u2", "two")));
    store.write("payments-v2", List.of(entry("u1", "v2")));
    store.write("profiles", List.of(entry("u1", "profile")));

    dropViewOrSkip("payments");
    store.dropView("never-written");

    assertThat(store.read("payments", keys("u1", "u2"))).containsExactly(null, null);
    assertThat(texts(store.read("payments-v2", keys("u1")))).containsExactly("v2");
    assertThat(texts(store.read("profiles", keys("u1")))).containsExactly("profile");
    store.write("payments", List.of(entry("u2", "back")));
    assertThat(texts(store.read("payments", keys("u1", "u2")))).containsExactly(null, "back");
  }

  /**
   * Views whose names share a prefix, or contain a separator a layout might use, and entity keys
   * that contain those separators, never see each other's values: a layout that concatenates {@code
   * view + ":" + key} would confuse view "a" key ":b:k" with view "a:b" key "k".
   */
  @Test
  void viewsWithSharedPrefixesDoNotLeakIntoEachOther() {
    List<String> views = List.of("a", "a:b", "a:", "ab", "a\u0000b", "a\u0000", "a/b", "a|b");
    List<EntityKey> entityKeys =
        List.of(
            key("k"),
            key(":b:k"),
            key("b:k"),
            key("\u0000b\u0000k"),
            key("/b/k"),
            key("|b|k"),
            EntityKey.of(new byte[] {0}),
            EntityKey.of(new byte[] {(byte) 0xFF}),
            EntityKey.of(new byte[] {'k', 0}));
    for (String view : views) {
      List<Entry> entries = new ArrayList<>();
      for (EntityKey entityKey : entityKeys) {
        entries.add(new Entry(entityKey, utf8(view + "|" + entityKey)));
      }
      store.write(view, entries);
    }
    assertEveryPair(views, entityKeys, List.of());

    store.delete("a:b", key("k"));
    assertThat(store.read("a:b", List.of(key("k")))).containsExactly((byte[]) null);
    assertThat(texts(store.read("a", List.of(key(":b:k"))))).containsExactly("a|" + key(":b:k"));

    dropViewOrSkip("a");
    assertThat(store.read("a", entityKeys)).allMatch(value -> value == null);
    List<String> others = views.subList(1, views.size());
    assertEveryPair(others, entityKeys, List.of("a:b|" + key("k")));
  }

  @Test
  void concurrentWritersAndReadersOfDifferentKeys() throws Exception {
    int writers = 4;
    int keysPerWriter = 20;
    int rounds = 50;
    ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
    AtomicBoolean writing = new AtomicBoolean(true);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        writes.add(
            pool.submit(
                () -> {
                  for (int round = 1; round <= rounds; round++) {
                    List<Entry> entries = new ArrayList<>();
                    for (int k = 0; k < keysPerWriter; k++) {
                      entries.add(new Entry(key("w" + writer + "-" + k), longValue(round)));
                    }
                    store.write("counters", entries);
                  }
                  return null;
                }));
      }
      List<Future<?>> reads = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        reads.add(
            pool.submit(
                () -> {
                  long[] seen = new long[writers * keysPerWriter];
                  List<EntityKey> all = new ArrayList<>();
                  for (int w = 0; w < writers; w++) {
                    for (int k = 0; k < keysPerWriter; k++) {
                      all.add(key("w" + w + "-" + k));
                    }
                  }
                  do {
                    List<byte[]> values = store.read("counters", all);
                    for (int i = 0; i < seen.length; i++) {
                      long round = values.get(i) == null ? 0 : longOf(values.get(i));
                      // A key's value never goes back to an older round.
                      assertThat(round).isGreaterThanOrEqualTo(seen[i]).isLessThanOrEqualTo(rounds);
                      seen[i] = round;
                    }
                  } while (writing.get());
                  return null;
                }));
      }
      for (Future<?> write : writes) {
        write.get(60, TimeUnit.SECONDS);
      }
      writing.set(false);
      for (Future<?> read : reads) {
        read.get(60, TimeUnit.SECONDS);
      }
    } finally {
      writing.set(false);
      pool.shutdownNow();
    }
    for (int w = 0; w < writers; w++) {
      for (int k = 0; k < keysPerWriter; k++) {
        assertThat(longOf(store.read("counters", List.of(key("w" + w + "-" + k))).get(0)))
            .isEqualTo(rounds);
      }
    }
  }

  @Test
  void valuesOfOneMegabyteRoundTrip() {
    Random random = new Random(11);
    byte[] big = new byte[1 << 20];
    random.nextBytes(big);
    byte[] other = new byte[(1 << 20) - 1];
    random.nextBytes(other);

    store.write("blobs", List.of(new Entry(key("big"), big), new Entry(key("other"), other)));
    store.write("blobs", List.of(new Entry(key("single"), big)));

    List<byte[]> values = store.read("blobs", keys("other", "big", "single"));
    assertThat(values.get(0)).isEqualTo(other);
    assertThat(values.get(1)).isEqualTo(big);
    assertThat(values.get(2)).isEqualTo(big);
  }

  @Test
  void emptyAndOddBytesRoundTrip() {
    byte[] everyByte = new byte[256];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = (byte) i;
    }
    byte[] longKey = new byte[4096];
    Arrays.fill(longKey, (byte) 0xFF);
    List<Entry> entries =
        List.of(
            new Entry(key("empty"), new byte[0]),
            new Entry(key("every-byte"), everyByte),
            new Entry(key("zero"), new byte[] {0}),
            new Entry(EntityKey.of(everyByte), utf8("key of every byte")),
            new Entry(EntityKey.of(new byte[] {0}), utf8("key 00")),
            new Entry(EntityKey.of(new byte[] {0, 0}), utf8("key 0000")),
            new Entry(EntityKey.of(longKey), utf8("long key")),
            new Entry(key("ünïcødé-🔑"), utf8("unicode key")));
    store.write("odd", entries);

    List<byte[]> values = store.read("odd", entries.stream().map(Entry::key).toList());
    for (int i = 0; i < entries.size(); i++) {
      assertThat(values.get(i))
          .as("value of %s", entries.get(i).key())
          .isEqualTo(entries.get(i).value());
    }
    assertThat(store.read("odd", keys("empty")).get(0)).isNotNull().isEmpty();
    assertThat(store.read("odd", List.of(EntityKey.of(new byte[] {0, 0, 0}))))
        .containsExactly((byte[]) null);
  }

  @Test
  void callsAfterCloseThrowAndCloseIsIdempotent() {
    store.write("payments", List.of(entry("u1", "one")));
    store.close();
    store.close();

    assertThatThrownBy(() -> store.read("payments", keys("u1")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Cannot ");
    assertThatThrownBy(() -> store.write("payments", List.of(entry("u1", "two"))))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.delete("payments", key("u1")))
        .isInstanceOf(IllegalStateException.class);
  }

  // ---- SupportsAtomicCheckpoint ----

  @Test
  void aCheckpointNeverWrittenIsEmpty() {
    SupportsAtomicCheckpoint checkpointing = checkpointingOrSkip();

    assertThat(checkpointing.checkpoint("payments-stream")).isEmpty();
  }

  @Test
  void writeWithCheckpointWritesEveryViewAndTheCheckpoint() {
    SupportsAtomicCheckpoint checkpointing = checkpointingOrSkip();
    store.write("counts", List.of(entry("u9", "untouched")));
    Map<String, List<Entry>> batch = new LinkedHashMap<>();
    batch.put("counts", List.of(entry("u1", "c1"), entry("u2", "c2"), entry("u1", "c1-last")));
    batch.put("sums", List.of(entry("u1", "s1")));

    checkpointing.writeWithCheckpoint(batch, "payments-stream", utf8("offset=42"));
    checkpointing.writeWithCheckpoint(Map.of(), "other-stream", new byte[0]);

    assertThat(texts(store.read("counts", keys("u1", "u2", "u9"))))
        .containsExactly("c1-last", "c2", "untouched");
    assertThat(texts(store.read("sums", keys("u1")))).containsExactly("s1");
    assertThat(checkpointing.checkpoint("payments-stream").map(OnlineStoreContract::text))
        .contains("offset=42");
    assertThat(checkpointing.checkpoint("other-stream"))
        .hasValueSatisfying(value -> assertThat(value).isEmpty());
    assertThat(checkpointing.checkpoint("payments")).isEmpty();

    checkpointing.writeWithCheckpoint(
        Map.of("counts", List.of(entry("u2", "c2-new"))), "payments-stream", utf8("offset=43"));
    assertThat(texts(store.read("counts", keys("u1", "u2")))).containsExactly("c1-last", "c2-new");
    assertThat(checkpointing.checkpoint("payments-stream").map(OnlineStoreContract::text))
        .contains("offset=43");
  }

  @Test
  void droppingAViewKeepsCheckpoints() {
    SupportsAtomicCheckpoint checkpointing = checkpointingOrSkip();
    checkpointing.writeWithCheckpoint(
        Map.of("counts", List.of(entry("u1", "c1"))), "counts", utf8("offset=1"));

    dropViewOrSkip("counts");

    assertThat(checkpointing.checkpoint("counts").map(OnlineStoreContract::text))
        .contains("offset=1");
  }

  /**
   * A writer applies batches 1, 2, 3, ... each setting every key of two views to the batch number
   * and the checkpoint to it; readers read view "a", then view "b", then the checkpoint, and must
   * see each read whole (all keys of one batch) and batches that never go backwards.
   */
  @Test
  @Timeout(60)
  void writeWithCheckpointIsSeenAllOrNothing() throws Exception {
    SupportsAtomicCheckpoint checkpointing = checkpointingOrSkip();
    int keyCount = 50;
    int batches = 300;
    List<EntityKey> keys = new ArrayList<>();
    for (int i = 0; i < keyCount; i++) {
      keys.add(key("entity-" + i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(3);
    AtomicBoolean writing = new AtomicBoolean(true);
    try {
      Future<?> writer =
          pool.submit(
              () -> {
                for (long batch = 1; batch <= batches; batch++) {
                  List<Entry> entries = new ArrayList<>();
                  for (EntityKey key : keys) {
                    entries.add(new Entry(key, longValue(batch)));
                  }
                  checkpointing.writeWithCheckpoint(
                      Map.of("a", entries, "b", entries), "stream", longValue(batch));
                }
                return null;
              });
      List<Future<?>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(
            pool.submit(
                () -> {
                  long last = 0;
                  do {
                    long inA = sameBatch(store.read("a", keys));
                    long inB = sameBatch(store.read("b", keys));
                    long checkpoint =
                        checkpointing
                            .checkpoint("stream")
                            .map(OnlineStoreContract::longOf)
                            .orElse(0L);
                    assertThat(inA).isGreaterThanOrEqualTo(last);
                    assertThat(inB).isGreaterThanOrEqualTo(inA);
                    assertThat(checkpoint).isGreaterThanOrEqualTo(inB);
                    last = checkpoint;
                  } while (writing.get());
                  return null;
                }));
      }
      writer.get(60, TimeUnit.SECONDS);
      writing.set(false);
      for (Future<?> reader : readers) {
        reader.get(60, TimeUnit.SECONDS);
      }
    } finally {
      writing.set(false);
      pool.shutdownNow();
    }
    assertThat(sameBatch(store.read("a", keys))).isEqualTo(batches);
    assertThat(checkpointing.checkpoint("stream").map(OnlineStoreContract::longOf))
        .contains((long) batches);
  }

  // ---- SupportsTtl ----

  @Test
  void aValueWithATtlReadsUntilItExpires() throws InterruptedException {
    SupportsTtl ttl = ttlOrSkip();
    ttl.write("sessions", List.of(entry("long", "stays")), Duration.ofHours(1));
    ttl.write("sessions", List.of(entry("short", "goes"), entry("short-2", "goes")), SHORT_TTL);
    store.write("sessions", List.of(entry("plain", "stays")));

    assertThat(texts(store.read("sessions", keys("long", "plain"))))
        .containsExactly("stays", "stays");
    Thread.sleep(SHORT_TTL.toMillis() + EXPIRY_MARGIN_MILLIS);

    assertThat(texts(store.read("sessions", keys("short", "long", "short-2", "plain"))))
        .containsExactly(null, "stays", null, "stays");
    assertThat(store.read("sessions", keys("short"))).containsExactly((byte[]) null);
  }

  @Test
  void aLaterWriteReplacesTheExpiry() throws InterruptedException {
    SupportsTtl ttl = ttlOrSkip();
    SupportsAtomicCheckpoint checkpointing = store instanceof SupportsAtomicCheckpoint c ? c : null;
    ttl.write(
        "sessions",
        List.of(
            entry("plain-later", "a"),
            entry("longer-later", "a"),
            entry("checkpointed-later", "a"),
            entry("shorter-later", "a")),
        Duration.ofHours(1));

    store.write("sessions", List.of(entry("plain-later", "b")));
    ttl.write("sessions", List.of(entry("longer-later", "b")), Duration.ofHours(1));
    ttl.write("sessions", List.of(entry("shorter-later", "b")), SHORT_TTL);
    if (checkpointing != null) {
      checkpointing.writeWithCheckpoint(
          Map.of("sessions", List.of(entry("checkpointed-later", "b"))), "c", new byte[] {1});
    }
    Thread.sleep(SHORT_TTL.toMillis() + EXPIRY_MARGIN_MILLIS);

    assertThat(texts(store.read("sessions", keys("plain-later", "longer-later", "shorter-later"))))
        .containsExactly("b", "b", null);
    if (checkpointing != null) {
      assertThat(texts(store.read("sessions", keys("checkpointed-later")))).containsExactly("b");
    }
  }

  @Test
  void anExpiredValueCanBeWrittenAgain() throws InterruptedException {
    SupportsTtl ttl = ttlOrSkip();
    ttl.write("sessions", List.of(entry("u1", "first")), SHORT_TTL);
    Thread.sleep(SHORT_TTL.toMillis() + EXPIRY_MARGIN_MILLIS);

    ttl.write("sessions", List.of(entry("u1", "second")), Duration.ofHours(1));

    assertThat(texts(store.read("sessions", keys("u1")))).containsExactly("second");
  }

  @Test
  void aTtlMustBePositive() {
    SupportsTtl ttl = ttlOrSkip();

    assertThatThrownBy(() -> ttl.write("sessions", List.of(entry("u1", "a")), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot ");
    assertThatThrownBy(
            () -> ttl.write("sessions", List.of(entry("u1", "a")), Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.read("sessions", keys("u1"))).containsExactly((byte[]) null);
  }

  // ---- helpers ----

  /** {@code store.dropView(view)}, or skips the test if the store does not support it. */
  protected final void dropViewOrSkip(String view) {
    try {
      store.dropView(view);
    } catch (UnsupportedBackendOperationException e) {
      abort(store.displayName() + " does not support dropping views");
    }
  }

  private SupportsAtomicCheckpoint checkpointingOrSkip() {
    assumeTrue(
        store instanceof SupportsAtomicCheckpoint,
        store.displayName() + " does not support atomic checkpoints");
    return (SupportsAtomicCheckpoint) store;
  }

  private SupportsTtl ttlOrSkip() {
    assumeTrue(store instanceof SupportsTtl, store.displayName() + " does not support TTL");
    return (SupportsTtl) store;
  }

  private void assertEveryPair(List<String> views, List<EntityKey> entityKeys, List<String> gone) {
    for (String view : views) {
      List<String> expected = new ArrayList<>();
      for (EntityKey entityKey : entityKeys) {
        String value = view + "|" + entityKey;
        expected.add(gone.contains(value) ? null : value);
      }
      assertThat(texts(store.read(view, entityKeys)))
          .as("view %s", view)
          .containsExactlyElementsOf(expected);
    }
  }

  /**
   * The batch number all {@code values} hold (0 if none was written yet), failing if they differ.
   */
  private static long sameBatch(List<byte[]> values) {
    List<Long> batches = values.stream().map(v -> v == null ? 0L : longOf(v)).distinct().toList();
    assertThat(batches).as("batches seen in one read").hasSize(1);
    return batches.get(0);
  }

  protected static EntityKey key(String text) {
    return EntityKey.of(text);
  }

  @Test
  void atomicWritesCanExpireSomeViewsButNeverTheCheckpoint() throws InterruptedException {
    SupportsTtl ttl = ttlOrSkip();
    assumeTrue(store instanceof SupportsAtomicCheckpoint, store.displayName() + " does not support atomic checkpoints");
    SupportsAtomicCheckpoint atomic = (SupportsAtomicCheckpoint) ttl;
    atomic.writeWithCheckpoint(Map.of("short", List.of(entry("k1", "a"), entry("k2", "b")), "kept",
        List.of(entry("k1", "c"))), Map.of("short", SHORT_TTL), "expiring", utf8("cp1"));
    assertThat(texts(store.read("short", keys("k1", "k2")))).containsExactly("a", "b");
    Thread.sleep(SHORT_TTL.toMillis() + EXPIRY_MARGIN_MILLIS);
    assertThat(texts(store.read("short", keys("k1", "k2")))).containsExactly(null, null);
    assertThat(texts(store.read("kept", keys("k1")))).containsExactly("c");
    assertThat(atomic.checkpoint("expiring")).hasValueSatisfying(value -> assertThat(text(value)).isEqualTo("cp1"));
    assertThatThrownBy(() -> atomic.writeWithCheckpoint(Map.of("short", List.of(entry("k1", "a"))),
        Map.of("short", Duration.ZERO), "expiring", utf8("cp2"))).isInstanceOf(IllegalArgumentException.class);
    assertThat(atomic.checkpoint("expiring")).hasValueSatisfying(value -> assertThat(text(value)).isEqualTo("cp1"));
  }

  // ---------------------------------------------------------------- leases (SupportsLeases)

  private SupportsLeases leasesOrSkip() {
    assumeTrue(store instanceof SupportsLeases, store.displayName() + " does not support leases");
    return (SupportsLeases) store;
  }

  @Test
  void aLeaseHasOneHolderAtATime() {
    SupportsLeases leases = leasesOrSkip();
    String lease = "writer-" + System.nanoTime();
    assertThat(leases.acquire(lease, "a", Duration.ofSeconds(30))).isEqualTo("a");
    assertThat(leases.acquire(lease, "b", Duration.ofSeconds(30))).as("taken by a").isEqualTo("a");
    assertThat(leases.acquire(lease, "a", Duration.ofSeconds(30))).as("renewed").isEqualTo("a");
    leases.release(lease, "b");
    assertThat(leases.acquire(lease, "b", Duration.ofSeconds(30))).as("b cannot release a's lease").isEqualTo("a");
    leases.release(lease, "a");
    assertThat(leases.acquire(lease, "b", Duration.ofSeconds(30))).as("free after release").isEqualTo("b");
    assertThat(leases.acquire("other-" + lease, "a", Duration.ofSeconds(30))).as("leases are independent")
        .isEqualTo("a");
  }

  @Test
  void aLeaseThatIsNotRenewedExpires() throws InterruptedException {
    SupportsLeases leases = leasesOrSkip();
    String lease = "writer-" + System.nanoTime();
    assertThat(leases.acquire(lease, "a", SHORT_TTL)).isEqualTo("a");
    Thread.sleep(SHORT_TTL.toMillis() + EXPIRY_MARGIN_MILLIS);
    assertThat(leases.acquire(lease, "b", Duration.ofSeconds(30))).isEqualTo("b");
    assertThatThrownBy(() -> leases.acquire(lease, "a", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void racingOwnersNeverBothHoldALease() throws Exception {
    SupportsLeases leases = leasesOrSkip();
    String lease = "writer-" + System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> holders = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String owner = "owner-" + i;
        holders.add(pool.submit(() -> leases.acquire(lease, owner, Duration.ofSeconds(30))));
      }
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (Future<String> holder : holders) {
        seen.add(holder.get(30, TimeUnit.SECONDS));
      }
      assertThat(seen).as("every caller saw the same single holder").hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  protected static List<EntityKey> keys(String... texts) {
    return Arrays.stream(texts).map(EntityKey::of).toList();
  }

  protected static Entry entry(String key, String value) {
    return new Entry(EntityKey.of(key), utf8(value));
  }

  protected static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  protected static String text(byte[] value) {
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  protected static List<String> texts(List<byte[]> values) {
    List<String> texts = new ArrayList<>(values.size());
    values.forEach(value -> texts.add(text(value)));
    return texts;
  }

  protected static byte[] longValue(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }

  protected static long longOf(byte[] value) {
    return ByteBuffer.wrap(value).getLong();
  }
}
