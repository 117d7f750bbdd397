package dev.lockstep.redis;

import static dev.lockstep.redis.RawRedis.bytes;
import static dev.lockstep.redis.RawRedis.redis;
import static dev.lockstep.redis.RawRedis.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.CorruptDataException;
import dev.lockstep.spi.BackendConfigException;
import dev.lockstep.spi.Backends;
import dev.lockstep.spi.EntityKey;
import dev.lockstep.spi.online.Entry;
import dev.lockstep.spi.online.OnlineStore;
import dev.lockstep.spi.online.SupportsAtomicCheckpoint;
import dev.lockstep.spi.online.SupportsTtl;
import dev.lockstep.testkit.contract.OnlineStoreContract;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The online store contract against the Redis at 127.0.0.1:6379, then what is Redis's own. */
class RedisOnlineStoreTest extends OnlineStoreContract {
  private final String namespace = RawRedis.newNamespace();

  @Override
  protected OnlineStore newStore() {
    return Backends.load(OnlineStore.class, "redis", Map.of("namespace", namespace));
  }

  @AfterEach
  void deleteNamespace() {
    RawRedis.deleteNamespace(namespace);
  }

  @Test
  void theFactoryDeclaresItsPropertiesAndDefaults() {
    assertThat(store).isInstanceOf(RedisOnlineStore.class);
    assertThat(store.name()).isEqualTo("redis");
    assertThat(store.displayName()).isEqualTo("Redis");
    assertThat(((RedisOnlineStore) store).namespace()).isEqualTo(namespace);
    assertThat(Backends.available(OnlineStore.class)).contains("redis");
    assertThat(RedisOnlineStoreFactory.URI).isEqualTo("uri");
    assertThat(RedisOnlineStoreFactory.URI_DEFAULT).isEqualTo("redis://127.0.0.1:6379");
    assertThat(RedisOnlineStoreFactory.PASSWORD).isEqualTo("password");
    assertThat(RedisOnlineStoreFactory.DATABASE).isEqualTo("database");
    assertThat(RedisOnlineStoreFactory.DATABASE_DEFAULT).isZero();
    assertThat(RedisOnlineStoreFactory.NAMESPACE).isEqualTo("namespace");
    assertThat(RedisOnlineStoreFactory.NAMESPACE_DEFAULT).isEqualTo("lockstep");
    assertThat(RedisOnlineStoreFactory.TIMEOUT).isEqualTo("timeout");
    assertThat(RedisOnlineStoreFactory.TIMEOUT_DEFAULT).isEqualTo(Duration.ofSeconds(2));
    assertThat(new RedisOnlineStoreFactory().secretKeys())
        .containsExactlyInAnyOrder("uri", "password");
    assertThat(store)
        .hasToString("RedisOnlineStore[redis://127.0.0.1:6379/0, namespace=" + namespace + "]");
  }

  /** {@code online: redis} alone: the local Redis, database 0, namespace {@code lockstep}. */
  @Test
  void withoutPropertiesTheStoreUsesTheLocalRedis() {
    boolean hadMarker = redis().exists(bytes("lockstep:format")) == 1;
    try (OnlineStore defaults = Backends.load(OnlineStore.class, "redis", Map.of())) {
      assertThat(defaults)
          .hasToString("RedisOnlineStore[redis://127.0.0.1:6379/0, namespace=lockstep]");
      assertThat(text(redis().get(bytes("lockstep:format"))))
          .isEqualTo("lockstep.redis-online-store 1");
    } finally {
      if (!hadMarker) {
        redis().del(bytes("lockstep:format"));
      }
    }
  }

  @Test
  void theFactoryRejectsBadProperties() {
    assertThatThrownBy(() -> load(Map.of("namespace", "a:b")))
        .isInstanceOf(BackendConfigException.class)
        .hasMessage(
            "Cannot configure backend 'redis': property 'namespace' must be letters, digits, '.',"
                + " '_' and '-', got 'a:b' (e.g. lockstep or payments-test)");
    assertThatThrownBy(() -> load(Map.of("namespace", "{x}")))
        .isInstanceOf(BackendConfigException.class);
    assertThatThrownBy(() -> load(Map.of("namespace", "")))
        .isInstanceOf(BackendConfigException.class);
    assertThatThrownBy(() -> load(Map.of("namespace", namespace, "timeout", "0s")))
        .isInstanceOf(BackendConfigException.class)
        .hasMessage(
            "Cannot configure backend 'redis': property 'timeout' must be positive, got 0 (e.g. 2s"
                + " or 500ms)");
    assertThatThrownBy(() -> load(Map.of("namespace", namespace, "timeout", "soon")))
        .isInstanceOf(BackendConfigException.class)
        .hasMessageStartingWith(
            "Cannot configure backend 'redis': property 'timeout' must be a duration");
    assertThatThrownBy(() -> load(Map.of("namespace", namespace, "database", "-1")))
        .isInstanceOf(BackendConfigException.class)
        .hasMessage(
            "Cannot configure backend 'redis': property 'database' must be 0 or more, got -1 (e.g."
                + " 0)");
    assertThatThrownBy(() -> load(Map.of("namespace", namespace, "uri", "redis://h:99999")))
        .isInstanceOf(BackendConfigException.class)
        .hasMessage(
            "Cannot configure backend 'redis': property 'uri' is not a Redis URI: Port out of"
                + " range: 99999 (write redis://host:port, rediss://host:port for TLS, or"
                + " redis-sentinel://host:port#primary-name)");
  }

  @Test
  void theDatabaseComesFromThePropertyOrTheUri() {
    try (OnlineStore inUri =
            load(Map.of("namespace", namespace, "uri", "redis://127.0.0.1:6379/3"));
        OnlineStore inProperty = load(Map.of("namespace", namespace, "database", "4"))) {
      assertThat(inUri)
          .hasToString("RedisOnlineStore[redis://127.0.0.1:6379/3, namespace=" + namespace + "]");
      assertThat(inProperty)
          .hasToString("RedisOnlineStore[redis://127.0.0.1:6379/4, namespace=" + namespace + "]");
      inUri.write("payments", List.of(entry("u1", "in 3")));
      inProperty.write("payments", List.of(entry("u1", "in 4")));

      assertThat(texts(inUri.read("payments", keys("u1")))).containsExactly("in 3");
      assertThat(texts(inProperty.read("payments", keys("u1")))).containsExactly("in 4");
      assertThat(store.read("payments", keys("u1"))).containsExactly((byte[]) null);
    } finally {
      RawRedis.deleteNamespace(namespace, 3);
      RawRedis.deleteNamespace(namespace, 4);
    }
  }

  @Test
  void keysFollowTheDocumentedLayout() {
    SupportsAtomicCheckpoint checkpointing = (SupportsAtomicCheckpoint) store;
    store.write("payments", List.of(entry("u1", "one")));
    store.write("a:b", List.of(new Entry(EntityKey.of(new byte[] {0, (byte) 0xFF}), utf8("x"))));
    checkpointing.writeWithCheckpoint(
        Map.of("sums", List.of(entry("u2", "two"))), "online:payments", utf8("offset=1"));

    String hexOfU1 = "7531";
    assertThat(RawRedis.keys(namespace))
        .containsExactlyInAnyOrder(
            namespace + ":format",
            namespace + ":v:{" + hexOfU1 + "}:payments",
            namespace + ":v:{00ff}:a:b",
            namespace + ":v:{7532}:sums",
            namespace + ":cp:online:payments");
    assertThat(text(redis().get(bytes(namespace + ":format"))))
        .isEqualTo("lockstep.redis-online-store 1");
    assertThat(text(redis().get(bytes(namespace + ":v:{7531}:payments")))).isEqualTo("one");
    assertThat(text(redis().get(bytes(namespace + ":cp:online:payments")))).isEqualTo("offset=1");
  }

  @Test
  void everyViewOfAnEntityIsOnOneClusterSlot() {
    List<String> views = List.of("payments", "sums", "a:b", "profiles-v2", "ünïcødé");
    Set<Integer> slotsOfOthers = new HashSet<>();
    for (int entity = 0; entity < 50; entity++) {
      String id = "card-" + entity;
      for (String view : views) {
        store.write(view, List.of(entry(id, view)));
      }
      Map<String, Integer> slots = new HashMap<>();
      for (String key : RawRedis.keys(namespace)) {
        if (key.contains(":v:{" + hex(id) + "}:")) {
          slots.put(key, SlotHash.getSlot(bytes(key)));
        }
      }
      assertThat(slots).hasSize(views.size());
      assertThat(new HashSet<>(slots.values())).containsExactly(SlotHash.getSlot(hex(id)));
      slotsOfOthers.add(SlotHash.getSlot(hex(id)));
    }
    // The tag is the entity, not something shared by all: entities spread over slots.
    assertThat(slotsOfOthers).hasSizeGreaterThan(40);
  }

  @Test
  void aNamespaceOfAnotherFormatVersionIsRefused() {
    String other = RawRedis.newNamespace();
    try {
      redis().set(bytes(other + ":format"), bytes("lockstep.redis-online-store 2"));

      assertThatThrownBy(() -> load(Map.of("namespace", other)))
          .isInstanceOf(CorruptDataException.class)
          .hasMessage(
              "Cannot open Redis online store at redis://127.0.0.1:6379/0, namespace '"
                  + other
                  + "': its format marker '"
                  + other
                  + ":format' holds 'lockstep.redis-online-store 2', not"
                  + " 'lockstep.redis-online-store 1' (this Lockstep reads version 1: upgrade"
                  + " Lockstep, or delete the namespace's keys and rebuild the online store)");
    } finally {
      RawRedis.deleteNamespace(other);
    }
  }

  @Test
  void aNamespaceHoldingAnotherProgramsDataIsRefused() {
    String other = RawRedis.newNamespace();
    try {
      redis().set(bytes(other + ":format"), bytes("someone else's\nvalue"));
      assertThatThrownBy(() -> load(Map.of("namespace", other)))
          .isInstanceOf(CorruptDataException.class)
          .hasMessageEndingWith(
              ":format' holds 'someone else's?value', not 'lockstep.redis-online-store 1'"
                  + " (the namespace holds another program's data: choose another 'namespace')");

      redis().del(bytes(other + ":format"));
      redis().hset(bytes(other + ":format"), bytes("field"), bytes("value"));
      assertThatThrownBy(() -> load(Map.of("namespace", other)))
          .isInstanceOf(CorruptDataException.class)
          .hasMessageEndingWith(
              ":format' is not a string, so the namespace holds another program's data, not"
                  + " 'lockstep.redis-online-store 1' (choose another 'namespace')");
    } finally {
      RawRedis.deleteNamespace(other);
    }
  }

  @Test
  void aTtlIsSetWithPxRoundedUpToTheMillisecond() {
    SupportsTtl ttl = (SupportsTtl) store;
    ttl.write("sessions", List.of(entry("minute", "a")), Duration.ofSeconds(60));
    ttl.write("sessions", List.of(entry("tiny", "b")), Duration.ofNanos(1_500_000_000L + 1));

    long minute = redis().pttl(valueKey("minute", "sessions"));
    long tiny = redis().pttl(valueKey("tiny", "sessions"));

    assertThat(minute).isBetween(59_000L, 60_000L);
    assertThat(tiny).isBetween(1_000L, 1_501L);
  }

  @Test
  void laterWritesWithoutATtlClearIt() {
    SupportsTtl ttl = (SupportsTtl) store;
    ttl.write(
        "sessions", List.of(entry("plain", "a"), entry("checkpointed", "a")), Duration.ofHours(1));

    store.write("sessions", List.of(entry("plain", "b")));
    ((SupportsAtomicCheckpoint) store)
        .writeWithCheckpoint(
            Map.of("sessions", List.of(entry("checkpointed", "b"))), "c", new byte[] {1});

    assertThat(redis().pttl(valueKey("plain", "sessions"))).isEqualTo(-1);
    assertThat(redis().pttl(valueKey("checkpointed", "sessions"))).isEqualTo(-1);
  }

  /** View names holding the glob's characters or the layout's own: SCAN's pattern must not leak. */
  @Test
  void dropViewRemovesOnlyThatViewWhateverItsName() {
    List<String> views = List.of("a", "a*", "*", "a?", "a[b]", "a\\", "x}:a", "}:a", "a}:a", "ab");
    for (String view : views) {
      store.write(view, List.of(entry("k", view), entry("}:a", view)));
    }

    store.dropView("a*");
    store.dropView("a");

    for (String view : views) {
      List<String> expected =
          view.equals("a") || view.equals("a*") ? Arrays.asList(null, null) : List.of(view, view);
      assertThat(texts(store.read(view, keys("k", "}:a"))))
          .as("view %s", view)
          .containsExactlyElementsOf(expected);
    }
  }

  @Test
  void dropViewOfManyKeysRemovesThemAll() {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < 5_500; i++) {
      entries.add(entry("u" + i, "v" + i));
    }
    store.write("big", entries);
    store.write("kept", entries.subList(0, 10));

    store.dropView("big");

    assertThat(RawRedis.keys(namespace)).hasSize(11);
    assertThat(store.read("kept", keys("u0", "u9"))).doesNotContainNull();
  }

  @Test
  void aClosedStoreSaysWhichOne() {
    store.close();

    assertThatThrownBy(() -> ((SupportsAtomicCheckpoint) store).checkpoint("c"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Cannot read the checkpoint of consumer 'c': the Redis online store at"
                + " redis://127.0.0.1:6379/0, namespace '"
                + namespace
                + "' is closed (open it again to use it)");
    assertThat(store)
        .hasToString(
            "RedisOnlineStore[redis://127.0.0.1:6379/0, namespace=" + namespace + ", closed]");
  }

  private static OnlineStore load(Map<String, String> properties) {
    return Backends.load(OnlineStore.class, "redis", properties);
  }

  private byte[] valueKey(String entity, String view) {
    return bytes(namespace + ":v:{" + hex(entity) + "}:" + view);
  }

  private static String hex(String text) {
    return HexFormat.of().formatHex(bytes(text));
  }
}
