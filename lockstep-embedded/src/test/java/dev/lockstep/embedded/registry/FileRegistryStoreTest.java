package dev.lockstep.embedded.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.api.CorruptDataException;
import dev.lockstep.spi.BackendConfigException;
import dev.lockstep.spi.Backends;
import dev.lockstep.spi.registry.CommitConflictException;
import dev.lockstep.spi.registry.RegistryStore;
import dev.lockstep.spi.registry.RegistryVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRegistryStoreTest {
  private static final Instant NOW = Instant.parse("2024-05-01T10:00:00.123Z");

  @TempDir Path dir;

  private FileRegistryStore store() {
    return new FileRegistryStore(dir, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void commitsVersionsInOrderAndKeepsThemAll() {
    FileRegistryStore store = store();
    assertThat(store.current()).isEmpty();
    assertThat(store.history()).isEmpty();

    RegistryVersion first = store.commit(0, bytes("{\"a\": 1}"));
    RegistryVersion second = store.commit(1, bytes("{\"a\": 2}\n"));

    assertThat(first).isEqualTo(new RegistryVersion(1, NOW, bytes("{\"a\": 1}")));
    assertThat(store.current()).contains(second);
    assertThat(store.version(1)).contains(first);
    assertThat(store.version(3)).isEmpty();
    assertThat(store.version(0)).isEmpty();
    assertThat(store.history()).containsExactly(first, second);
  }

  @Test
  void eachVersionIsOneSelfDescribingJsonFile() throws Exception {
    store().commit(0, bytes("{\"format\": \"lockstep.registry\"}\n"));

    assertThat(Files.list(dir).map(path -> path.getFileName().toString()).toList())
        .containsExactly("v000001.json");
    String file = Files.readString(dir.resolve("v000001.json"));
    assertThat(file).isEqualTo("{\"format\": \"lockstep.file-registry\", \"version\": 1,"
        + " \"registry_version\": 1, \"committed_at\": \"2024-05-01T10:00:00.123Z\",\n"
        + " \"document\": {\"format\": \"lockstep.registry\"}\n}\n");
    JsonNode json = new ObjectMapper().readTree(file);
    assertThat(json.get("document").get("format").asText()).isEqualTo("lockstep.registry");
  }

  @Test
  void contentThatIsNotJsonIsKeptByteForByte() {
    byte[] binary = {0, (byte) 0xff, '{', '\n', '}'};
    FileRegistryStore store = store();
    store.commit(0, binary);
    store.commit(1, new byte[0]);
    store.commit(2, bytes("{ not json but text"));

    FileRegistryStore reopened = store();
    assertThat(reopened.version(1).orElseThrow().content()).isEqualTo(binary);
    assertThat(reopened.version(2).orElseThrow().content()).isEmpty();
    assertThat(reopened.version(3).orElseThrow().content()).isEqualTo(bytes("{ not json but text"));
  }

  @Test
  void aCommitAgainstAnOldVersionConflicts() {
    FileRegistryStore store = store();
    store.commit(0, bytes("{}"));
    store.commit(1, bytes("{}"));

    assertThatThrownBy(() -> store.commit(1, bytes("{}")))
        .isExactlyInstanceOf(CommitConflictException.class)
        .hasMessage("Cannot commit registry change planned against version 1: version 2 was"
            + " committed at 2024-05-01T10:00:00.123Z by another writer (re-run plan, then"
            + " apply)");
    assertThatThrownBy(() -> store.commit(0, bytes("{}")))
        .isExactlyInstanceOf(CommitConflictException.class);
    assertThatThrownBy(() -> store.commit(5, bytes("{}")))
        .isExactlyInstanceOf(CommitConflictException.class)
        .satisfies(e -> assertThat(((CommitConflictException) e).currentVersion()).isEqualTo(2));
    assertThatThrownBy(() -> store.commit(-1, bytes("{}")))
        .isExactlyInstanceOf(IllegalArgumentException.class);
    assertThat(store.history()).hasSize(2);
    assertThat(Files.exists(dir.resolve("v000003.json"))).isFalse();
  }

  @Test
  void historySurvivesReopeningAndOtherInstancesSeeNewVersions() {
    FileRegistryStore writer = store();
    FileRegistryStore reader = store();
    writer.commit(0, bytes("{\"v\": 1}"));
    assertThat(reader.current().orElseThrow().version()).isEqualTo(1);
    writer.commit(1, bytes("{\"v\": 2}"));
    assertThat(reader.current().orElseThrow().version()).isEqualTo(2);
    assertThatThrownBy(() -> reader.commit(1, bytes("{}")))
        .isExactlyInstanceOf(CommitConflictException.class);
    writer.close();

    FileRegistryStore reopened = store();
    assertThat(reopened.history()).extracting(RegistryVersion::version).containsExactly(1L, 2L);
    assertThat(reopened.commit(2, bytes("{\"v\": 3}")).version()).isEqualTo(3);
  }

  @Test
  void twoStoresRacingOnOneDirectoryNeverBothWinAVersion() throws Exception {
    FileRegistryStore one = new FileRegistryStore(dir);
    FileRegistryStore two = new FileRegistryStore(dir);
    int threads = 8;
    int attempts = 40;
    Map<Long, String> winners = new ConcurrentHashMap<>();
    List<String> doubleWins = new ArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      RegistryStore store = t % 2 == 0 ? one : two;
      int thread = t;
      futures.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < attempts; i++) {
          long base = store.current().map(RegistryVersion::version).orElse(0L);
          String content = "{\"thread\": " + thread + ", \"attempt\": " + i + "}";
          try {
            RegistryVersion won = store.commit(base, bytes(content));
            if (winners.putIfAbsent(won.version(), content) != null) {
              synchronized (doubleWins) {
                doubleWins.add(won.version() + " " + content);
              }
            }
          } catch (CommitConflictException expected) {
            // another writer won this version
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> future : futures) {
      future.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    assertThat(doubleWins).isEmpty();
    List<RegistryVersion> history = new FileRegistryStore(dir).history();
    assertThat(history).extracting(RegistryVersion::version)
        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, history.size())
            .boxed().toList());
    assertThat(history).hasSize(winners.size()).hasSizeGreaterThan(threads);
    for (RegistryVersion version : history) {
      assertThat(new String(version.content(), StandardCharsets.UTF_8))
          .isEqualTo(winners.get(version.version()));
    }
    assertThat(Files.list(dir).filter(path -> path.toString().endsWith(".tmp"))).isEmpty();
  }

  @Test
  void damagedFilesAreCorruptData() throws Exception {
    FileRegistryStore store = store();
    store.commit(0, bytes("{}"));
    Files.writeString(dir.resolve("v000002.json"), "{\"format\": \"lockstep.file-registry\","
        + " \"version\": 1, \"registry_version\": 2, \"committed_at\": \"2024-05-01T10:00:00Z\",\n"
        + " \"document\": {\"trunc");
    Files.writeString(dir.resolve("v000003.json"), "{\"format\": \"lockstep.file-registry\","
        + " \"version\": 2, \"registry_version\": 3, \"committed_at\": \"2024-05-01T10:00:00Z\",\n"
        + " \"document\": {}}\n");

    assertThatThrownBy(() -> store.version(2))
        .isExactlyInstanceOf(CorruptDataException.class)
        .hasMessage("Cannot read registry version file " + dir.resolve("v000002.json")
            + ": its document is not framed as expected (is it truncated?)");
    assertThatThrownBy(() -> store.version(3))
        .isExactlyInstanceOf(CorruptDataException.class)
        .hasMessage("Cannot read registry version file " + dir.resolve("v000003.json")
            + ": its format version 2 is not 1, the one this Lockstep reads (upgrade Lockstep)");
  }

  @Test
  void aClosedStoreRefusesWork() {
    FileRegistryStore store = store();
    store.close();
    store.close();
    assertThatThrownBy(store::current)
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot use FileRegistryStore[" + dir + "]: it is closed");
  }

  @Test
  void loadsByNameWithItsDirectory() {
    Path registry = dir.resolve("nested/registry");
    try (RegistryStore store =
        Backends.load(RegistryStore.class, "file", Map.of("dir", registry.toString()))) {
      assertThat(store).isInstanceOf(FileRegistryStore.class);
      assertThat(store.name()).isEqualTo("file");
      store.commit(0, bytes("{}"));
    }
    assertThat(Files.exists(registry.resolve("v000001.json"))).isTrue();
    assertThatThrownBy(() -> Backends.load(RegistryStore.class, "file", Map.of()))
        .isExactlyInstanceOf(BackendConfigException.class)
        .hasMessage("Cannot configure backend 'file': property 'dir' is required but not set (set"
            + " it in the file properties)");
  }
}
