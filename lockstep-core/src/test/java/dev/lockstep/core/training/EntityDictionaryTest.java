package dev.lockstep.core.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntityDictionaryTest {
  @TempDir Path directory;

  @Test
  void givesEqualKeysOneIdAndDifferentKeysDifferentIdsLikeAHashMap() {
    SplittableRandom random = new SplittableRandom(11);
    List<Object> keys = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      keys.add(switch (random.nextInt(3)) {
        case 0 -> "k-" + random.nextInt(3000) + (random.nextInt(50) == 0 ? "é" : "");
        case 1 -> (long) random.nextInt(-3000, 3000); // includes 0, whose hash is 0
        default -> List.of("a" + random.nextInt(30), (long) random.nextInt(30));
      });
    }
    Path file = directory.resolve("keys.spill");
    try (SpillWriter out = new SpillWriter(file)) {
      keys.forEach(out::putValue);
    }
    EntityDictionary dictionary = new EntityDictionary();
    Map<Object, Integer> expected = new HashMap<>();
    try (SpillReader in = new SpillReader(file)) {
      for (Object key : keys) {
        int id = dictionary.read(in);
        Integer known = expected.putIfAbsent(key, id);
        assertThat(id).as("key %s", key).isEqualTo(known == null ? expected.size() - 1 : known);
      }
    }
    assertThat(dictionary.size()).isEqualTo(expected.size());
    expected.forEach((key, id) -> assertThat(dictionary.find(key)).as("find %s", key).isEqualTo(id));
    assertThat(dictionary.find("never")).isEqualTo(-1);
    assertThat(dictionary.find(123_456_789L)).isEqualTo(-1);
    assertThat(dictionary.find(List.of("never", 1L))).isEqualTo(-1);
  }
}
