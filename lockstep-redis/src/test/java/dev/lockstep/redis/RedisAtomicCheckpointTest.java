package dev.lockstep.redis;

import static dev.lockstep.redis.RawRedis.redis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.Backends;
import dev.lockstep.spi.EntityKey;
import dev.lockstep.spi.OutcomeUnknownException;
import dev.lockstep.spi.online.Entry;
import dev.lockstep.spi.online.OnlineStore;
import dev.lockstep.spi.online.SupportsAtomicCheckpoint;
import io.lettuce.core.AclSetuserArgs;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code writeWithCheckpoint} at the sizes a stream consumer writes (tens of thousands of entries
 * of a few KB), and its two failure outcomes: refused before anything ran, and unknown.
 */
class RedisAtomicCheckpointTest {
  private static final int ENTITIES = 10_000;
  private static final int VALUE_BYTES = 4 << 10;

  private final String namespace = RawRedis.newNamespace();

  @AfterEach
  void deleteNamespace() {
    RawRedis.deleteNamespace(namespace);
  }

  /**
   * Two batches of 20,000 entries of 4 KB (10,000 entities in two views, 80 MB each) while two
   * readers sample 200 keys across both views at a time: every read sees one batch whole.
   */
  @Test
  @Timeout(120)
  void largeBatchesAreWrittenWholeAndReadWhole() throws Exception {
    try (SupportsAtomicCheckpoint store = open(Map.of())) {
      List<EntityKey> keys = new ArrayList<>();
      for (int i = 0; i < ENTITIES; i++) {
        keys.add(EntityKey.of("card-" + i));
      }
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicInteger readsSeeingData = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<?>> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
          Random random = new Random(r);
          readers.add(
              pool.submit(
                  () -> {
                    long last = 0;
                    do {
                      List<EntityKey> sample = new ArrayList<>();
                      for (int i = 0; i < 100; i++) {
                        sample.add(keys.get(random.nextInt(ENTITIES)));
                      }
                      long inA = sameBatch(store.read("a", sample));
                      long inB = sameBatch(store.read("b", sample));
                      assertThat(inA).isGreaterThanOrEqualTo(last);
                      assertThat(inB).isGreaterThanOrEqualTo(inA);
                      readsSeeingData.addAndGet(inB > 0 ? 1 : 0);
                      last = inB;
                    } while (writing.get());
                    return null;
                  }));
        }
        for (long batch = 1; batch <= 2; batch++) {
          store.writeWithCheckpoint(batch(keys, batch), "stream", longBytes(batch));
        }
        writing.set(false);
        for (Future<?> reader : readers) {
          reader.get(60, TimeUnit.SECONDS);
        }
      } finally {
        writing.set(false);
        pool.shutdownNow();
      }

      assertThat(store.checkpoint("stream").map(RedisAtomicCheckpointTest::longOf)).contains(2L);
      for (String view : List.of("a", "b")) {
        List<byte[]> values = store.read(view, keys);
        assertThat(values)
            .hasSize(ENTITIES)
            .allSatisfy(value -> assertThat(value).hasSize(VALUE_BYTES));
        assertThat(sameBatch(values)).isEqualTo(2);
      }
      assertThat(readsSeeingData.get()).isPositive();
    }
  }

  /**
   * Redis refuses a queued command (here the user may not write checkpoint keys), so it answers
   * EXEC with EXECABORT and runs nothing: a plain {@link BackendException}, and the store goes on.
   */
  @Test
  void aTransactionRedisRefusesWritesNothing() {
    String user = "lockstep-test-" + namespace.substring(namespace.length() - 8);
    redis()
        .aclSetuser(
            user,
            AclSetuserArgs.Builder.on()
                .addPassword("pw")
                .keyPattern(namespace + ":v:*")
                .keyPattern(namespace + ":format")
                .allCommands());
    try (SupportsAtomicCheckpoint store =
        open(Map.of("uri", "redis://" + user + ":pw@127.0.0.1:6379"))) {
      Map<String, List<Entry>> batch = Map.of("a", List.of(entry("u1", 1), entry("u2", 1)));

      Throwable thrown =
          catchThrowable(() -> store.writeWithCheckpoint(batch, "stream", longBytes(1)));

      assertThat(thrown)
          .isExactlyInstanceOf(BackendException.class)
          .hasMessageStartingWith(
              "Cannot write 2 entries of 1 view with the checkpoint of consumer 'stream' in Redis"
                  + " online store at redis://127.0.0.1:6379/0, namespace '"
                  + namespace
                  + "': Redis replied 'EXECABORT");
      assertThat(store.read("a", List.of(EntityKey.of("u1"), EntityKey.of("u2"))))
          .containsExactly(null, null);
      store.write("a", List.of(entry("u1", 7)));
      assertThat(longOf(store.read("a", List.of(EntityKey.of("u1"))).get(0))).isEqualTo(7);
    } finally {
      redis().aclDeluser(user);
    }
  }

  /**
   * Redis runs the transaction but its reply is lost (a proxy swallows it): the store gives up
   * waiting for EXEC and cannot know whether it ran, an {@link OutcomeUnknownException}. The
   * checkpoint tells it did, and the values agree; the next batch goes through on a new connection.
   */
  @Test
  @Timeout(60)
  void aLostReplyToExecIsAnUnknownOutcome() throws Exception {
    try (FlakyProxy proxy = new FlakyProxy(6379);
        SupportsAtomicCheckpoint store = open(Map.of("uri", proxy.uri(), "timeout", "300ms"))) {
      store.writeWithCheckpoint(Map.of("a", List.of(entry("u1", 1))), "stream", longBytes(1));
      proxy.swallowReplies(true);

      Throwable thrown =
          catchThrowable(
              () ->
                  store.writeWithCheckpoint(
                      Map.of("a", List.of(entry("u1", 2))), "stream", longBytes(2)));
      proxy.swallowReplies(false);

      assertThat(thrown)
          .isExactlyInstanceOf(OutcomeUnknownException.class)
          .hasMessage(
              "Cannot write 1 entry of 1 view with the checkpoint of consumer 'stream' in Redis"
                  + " online store at "
                  + proxy.uri()
                  + "/0, namespace '"
                  + namespace
                  + "': no reply within 300ms (it may or may not be applied: read the checkpoint to"
                  + " know; raise the 'timeout' property, or check the load of Redis and the"
                  + " network)");
      assertThat(store.checkpoint("stream").map(RedisAtomicCheckpointTest::longOf)).contains(2L);
      assertThat(longOf(store.read("a", List.of(EntityKey.of("u1"))).get(0))).isEqualTo(2);
      store.writeWithCheckpoint(Map.of("a", List.of(entry("u1", 3))), "stream", longBytes(3));
      assertThat(store.checkpoint("stream").map(RedisAtomicCheckpointTest::longOf)).contains(3L);
    }
  }

  /**
   * The transaction connection cannot be opened: nothing was sent, a plain {@link
   * BackendException}. Once Redis is reachable again, batches go through.
   */
  @Test
  @Timeout(60)
  void noConnectionForTheTransactionWritesNothing() throws Exception {
    try (FlakyProxy proxy = new FlakyProxy(6379);
        SupportsAtomicCheckpoint store = open(Map.of("uri", proxy.uri(), "timeout", "500ms"))) {
      proxy.refuseConnections(true);

      Throwable thrown =
          catchThrowable(
              () ->
                  store.writeWithCheckpoint(
                      Map.of("a", List.of(entry("u1", 1))), "stream", longBytes(1)));

      assertThat(thrown)
          .isExactlyInstanceOf(BackendException.class)
          .hasMessageStartingWith(
              "Cannot write 1 entry of 1 view with the checkpoint of consumer 'stream' in Redis"
                  + " online store at "
                  + proxy.uri()
                  + "/0");
      assertThat(store.checkpoint("stream")).isEmpty();
      proxy.refuseConnections(false);
      store.writeWithCheckpoint(Map.of("a", List.of(entry("u1", 2))), "stream", longBytes(2));
      assertThat(store.checkpoint("stream").map(RedisAtomicCheckpointTest::longOf)).contains(2L);
    }
  }

  /**
   * Cut connections: the shared one reconnects by itself, the transaction one on the next batch.
   */
  @Test
  @Timeout(60)
  void aStoreOutlivesCutConnections() throws Exception {
    try (FlakyProxy proxy = new FlakyProxy(6379);
        SupportsAtomicCheckpoint store = open(Map.of("uri", proxy.uri()))) {
      store.writeWithCheckpoint(Map.of("a", List.of(entry("u1", 1))), "stream", longBytes(1));

      proxy.cutConnections();

      assertThat(longOf(store.read("a", List.of(EntityKey.of("u1"))).get(0))).isEqualTo(1);
      store.writeWithCheckpoint(Map.of("a", List.of(entry("u1", 2))), "stream", longBytes(2));
      store.write("a", List.of(entry("u2", 2)));
      assertThat(store.read("a", List.of(EntityKey.of("u1"), EntityKey.of("u2"))))
          .allSatisfy(value -> assertThat(longOf(value)).isEqualTo(2));
    }
  }

  private SupportsAtomicCheckpoint open(Map<String, String> properties) {
    Map<String, String> all = new HashMap<>(properties);
    all.put("namespace", namespace);
    return (SupportsAtomicCheckpoint) Backends.load(OnlineStore.class, "redis", all);
  }

  /** Every key in views "a" and "b" set to a 4 KB value starting with {@code batch}. */
  private static Map<String, List<Entry>> batch(List<EntityKey> keys, long batch) {
    List<Entry> entries = new ArrayList<>(keys.size());
    for (EntityKey key : keys) {
      byte[] value = new byte[VALUE_BYTES];
      Arrays.fill(value, (byte) batch);
      ByteBuffer.wrap(value).putLong(batch);
      entries.add(new Entry(key, value));
    }
    Map<String, List<Entry>> byView = new LinkedHashMap<>();
    byView.put("a", entries);
    byView.put("b", entries);
    return byView;
  }

  /** The batch all {@code values} are from (0 if none was written yet), failing if they differ. */
  private static long sameBatch(List<byte[]> values) {
    List<Long> batches = values.stream().map(v -> v == null ? 0L : longOf(v)).distinct().toList();
    assertThat(batches).as("batches seen in one read").hasSize(1);
    return batches.get(0);
  }

  private static Entry entry(String key, long value) {
    return new Entry(EntityKey.of(key), longBytes(value));
  }

  private static byte[] longBytes(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }

  private static long longOf(byte[] value) {
    return ByteBuffer.wrap(value).getLong();
  }
}
