package dev.lockstep.spi.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.spi.AlreadyExistsException;
import dev.lockstep.spi.Backends;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelVersionTest {
  private static final Instant CREATED = Instant.parse("2024-05-01T10:00:00Z");

  private static ModelVersion version(long version) {
    return new ModelVersion(
        "fraud-scorer", version, URI.create("file:///models/" + version), Map.of(), CREATED);
  }

  @Test
  void copiesItsMetadata() {
    Map<String, String> metadata = new HashMap<>(Map.of("training-set", "ts-1"));
    ModelVersion model =
        new ModelVersion("fraud-scorer", 1, URI.create("file:///m"), metadata, CREATED);
    metadata.put("feature-service", "fraud:3");

    assertThat(model.metadata()).containsExactly(Map.entry("training-set", "ts-1"));
  }

  @Test
  void rejectsABlankNameOrAVersionBelowOne() {
    assertThatThrownBy(() -> version(0))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot build model version 'fraud-scorer' 0: the name must not be blank and versions "
                + "start at 1");
    assertThatThrownBy(() -> new ModelVersion(" ", 1, URI.create("file:///m"), Map.of(), CREATED))
        .isExactlyInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theLatestVersionIsTheHighest() {
    ModelStore store = Backends.load(ModelStore.class, "memory", Map.of());
    store.register(version(7));
    store.register(version(2));

    assertThat(store.latest("fraud-scorer")).contains(version(7));
    assertThat(store.latest("unknown")).isEmpty();
    assertThatThrownBy(() -> store.register(version(2)))
        .isExactlyInstanceOf(AlreadyExistsException.class);
  }
}
