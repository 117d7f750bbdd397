package dev.lockstep.ops.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.FeatureStatus;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The JSON of logged vectors reads back exactly, and replay compares values exactly. */
class VectorJsonTest {

  @Test
  void doublesAreShortestAndStayDoubles() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("a", 0.1 + 0.2);
    values.put("b", 1.0);
    values.put("c", 1e20);
    values.put("d", -0.0);
    values.put("e", 2e-3);
    values.put("f", 5L);
    values.put("g", Double.NaN);
    values.put("h", Double.NEGATIVE_INFINITY);
    values.put("i", null);
    values.put("j", Arrays.asList(1L, null, "x"));
    assertThat(VectorJson.write(values)).isEqualTo("{\"a\":0.30000000000000004,\"b\":1.0,\"c\":1.0E20,\"d\":-0.0,"
        + "\"e\":0.002,\"f\":5,\"g\":NaN,\"h\":-Infinity,\"i\":null,\"j\":[1,null,\"x\"]}");
    Map<String, Object> read = VectorJson.read(VectorJson.write(values));
    assertThat(read.keySet()).containsExactlyElementsOf(values.keySet());
    for (String key : values.keySet()) {
      assertThat(dev.lockstep.core.internal.FeatureValues.same(read.get(key), values.get(key))).as(key).isTrue();
    }
    assertThat(read.get("f")).isInstanceOf(Long.class);
    assertThat(read.get("b")).isInstanceOf(Double.class);
  }

  @Test
  void randomDoublesRoundTripBitForBit() {
    Random random = new Random(42);
    for (int i = 0; i < 100_000; i++) {
      double value = Double.longBitsToDouble(random.nextLong());
      Object read = VectorJson.read(VectorJson.write(Map.of("v", value))).get("v");
      assertThat(read).isInstanceOf(Double.class);
      assertThat(Double.doubleToLongBits((Double) read)).isEqualTo(Double.doubleToLongBits(value));
    }
  }

  @Test
  void statusesReadBack() {
    Map<String, FeatureStatus> statuses = new LinkedHashMap<>();
    statuses.put("v__a", FeatureStatus.EXPIRED);
    statuses.put("v__b", FeatureStatus.STALE);
    assertThat(VectorJson.readStatuses(VectorJson.write(statuses))).containsExactlyEntriesOf(statuses);
    assertThatThrownBy(() -> VectorJson.readStatuses("{\"v__a\":\"GONE\"}"))
        .isInstanceOf(CorruptDataException.class)
        .hasMessage("Cannot read a logged feature vector: unknown status 'GONE' of v__a");
    assertThatThrownBy(() -> VectorJson.read("[1]"))
        .isInstanceOf(CorruptDataException.class)
        .hasMessage("Cannot read a logged feature vector: not a JSON object");
  }

  @Test
  void valuesCompareExactly() {
    assertThat(dev.lockstep.core.internal.FeatureValues.same(null, null)).isTrue();
    assertThat(dev.lockstep.core.internal.FeatureValues.same(null, 0L)).isFalse();
    assertThat(dev.lockstep.core.internal.FeatureValues.same(0L, null)).isFalse();
    assertThat(dev.lockstep.core.internal.FeatureValues.same(1L, 1.0)).isFalse();
    assertThat(dev.lockstep.core.internal.FeatureValues.same(0.0, -0.0)).isFalse();
    assertThat(dev.lockstep.core.internal.FeatureValues.same(0.3, 0.1 + 0.2)).isFalse();
    assertThat(dev.lockstep.core.internal.FeatureValues.same(Double.NaN, 0.0 / 0.0)).isTrue();
    assertThat(dev.lockstep.core.internal.FeatureValues.same("a", "a")).isTrue();
    assertThat(dev.lockstep.core.internal.FeatureValues.same("1", 1L)).isFalse();
    assertThat(dev.lockstep.core.internal.FeatureValues.same(List.of(1L, 2.5), Arrays.asList(1L, 2.5))).isTrue();
    assertThat(dev.lockstep.core.internal.FeatureValues.same(List.of(1L, 2L), List.of(2L, 1L))).isFalse();
    assertThat(dev.lockstep.core.internal.FeatureValues.same(List.of(1L), List.of(1L, 1L))).isFalse();
    assertThat(dev.lockstep.core.internal.FeatureValues.same(List.of(), null)).isFalse();
  }
}
