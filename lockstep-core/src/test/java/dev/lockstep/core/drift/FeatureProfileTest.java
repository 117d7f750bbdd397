package dev.lockstep.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.LockstepException;
import dev.lockstep.api.ValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureProfileTest {
  @TempDir Path directory;

  @Test
  void aNumericProfileCountsAndSketchesItsValues() {
    ValueProfiler profiler = ValueProfiler.declared("v__amount", ValueType.DOUBLE, false);
    for (Object value : Arrays.asList(4.0, null, 1.0, Double.NaN, 3.0, 2.0, null)) {
      profiler.add(value);
    }
    FeatureProfile profile = profiler.finish();
    assertThat(profile).extracting(FeatureProfile::count, FeatureProfile::nulls, FeatureProfile::nans, FeatureProfile::values)
        .containsExactly(7L, 2L, 1L, 4L);
    assertThat(profile.min()).isEqualTo(1.0);
    assertThat(profile.max()).isEqualTo(4.0);
    assertThat(profile.mean()).isEqualTo(2.5);
    assertThat(profile.quantiles()).containsExactly(
        Map.entry("0", 1.0), Map.entry("0.01", 1.0), Map.entry("0.05", 1.0), Map.entry("0.25", 1.0),
        Map.entry("0.5", 2.0), Map.entry("0.75", 3.0), Map.entry("0.95", 4.0), Map.entry("0.99", 4.0),
        Map.entry("1", 4.0));
    assertThat(profile.kllSketch().getRank(2.0, QuantileSearchCriteria.INCLUSIVE)).isEqualTo(0.5);
    assertThat(profile.categories()).isNull();
    assertThat(profile.numeric()).isTrue();
  }

  @Test
  void theMeanDoesNotDependOnTheOrderOfTheValues() {
    double[] values = {1e17, 1.0, -1e17, 0.1, 0.2, 3.0};
    ValueProfiler forward = ValueProfiler.declared("x", ValueType.DOUBLE, false);
    ValueProfiler backward = ValueProfiler.declared("x", ValueType.DOUBLE, false);
    for (int i = 0; i < values.length; i++) {
      forward.add(values[i]);
      backward.add(values[values.length - 1 - i]);
    }
    assertThat(forward.finish().mean()).isEqualTo(backward.finish().mean()).isEqualTo((1.0 + 0.1 + 0.2 + 3.0) / 6);
  }

  @Test
  void aCategoricalProfileStoresTheMostFrequentHundredValues() {
    ValueProfiler profiler = ValueProfiler.declared("v__merchant", ValueType.STRING, false);
    for (int value = 0; value < 150; value++) {
      for (int i = 0; i <= value % 3; i++) {
        profiler.add(String.format("m%03d", value));
      }
    }
    profiler.add(null);
    FeatureProfile profile = profiler.finish();
    // 50 values seen 3 times, 50 twice, 50 once: the 3s and 2s are stored, ties in code-point order
    assertThat(profile.categories()).hasSize(ValueProfiler.STORED_CATEGORIES);
    assertThat(profile.categories().keySet()).startsWith("m002", "m005", "m008").endsWith("m145", "m148");
    assertThat(profile.categories().get("m002")).isEqualTo(3);
    assertThat(profile.categories().get("m001")).isEqualTo(2);
    assertThat(profile.other()).isEqualTo(50);
    assertThat(profile.values()).isEqualTo(50 * 3 + 50 * 2 + 50);
    assertThat(profile.nulls()).isEqualTo(1);
  }

  @Test
  void valuesFirstSeenAfterTheTrackingCapCountAsOther() {
    ValueProfiler first = ValueProfiler.inferred("x", 100);
    for (int value = 0; value < 100; value++) {
      first.add("v" + value);
    }
    first.add("late");
    first.add("late");
    first.add("v0");
    ValueProfiler second = ValueProfiler.inferred("x", 100);
    second.add("also-late");
    second.add("v1");
    first.merge(second);
    FeatureProfile profile = first.finish();
    assertThat(profile.type()).isEqualTo("string");
    assertThat(profile.categories()).doesNotContainKeys("late", "also-late").containsEntry("v0", 2L).containsEntry("v1", 2L);
    assertThat(profile.other()).isEqualTo(3);
    assertThat(profile.values()).isEqualTo(105);
  }

  @Test
  void splittingAndMergingGivesTheSameProfileWhileTheSketchIsExact() {
    SplittableRandom random = new SplittableRandom(3);
    ValueProfiler whole = ValueProfiler.declared("x", ValueType.LONG, false);
    ValueProfiler left = ValueProfiler.declared("x", ValueType.LONG, false);
    ValueProfiler right = ValueProfiler.declared("x", ValueType.LONG, false);
    for (int i = 0; i < ValueProfiler.K; i++) {
      Long value = random.nextInt(10) == 0 ? null : random.nextLong(-1000, 1000);
      whole.add(value);
      (i < 77 ? left : right).add(value);
    }
    left.merge(right);
    assertThat(left.finish()).isEqualTo(whole.finish());
  }

  @Test
  void aServiceProfileRoundTripsThroughJson() {
    ValueProfiler amount = ValueProfiler.declared("v__amount", ValueType.DOUBLE, false);
    ValueProfiler merchant = ValueProfiler.declared("v__merchant", ValueType.STRING, false);
    ValueProfiler items = ValueProfiler.declared("v__items", ValueType.LONG, true);
    ValueProfiler empty = ValueProfiler.declared("v__empty", ValueType.DOUBLE, false);
    ServiceProfiler profiler = ServiceProfiler.of(List.of(amount, merchant, items, empty));
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 5000; i++) {
      profiler.add(new Object[] {
          random.nextInt(20) == 0 ? null : random.nextInt(50) == 0 ? Double.NaN : random.nextGaussian() * 1e3,
          random.nextInt(20) == 0 ? null : "m\u00e9" + random.nextInt(300),
          random.nextInt(20) == 0 ? null : List.of(random.nextLong(), (long) i),
          null});
    }
    ServiceProfile profile = profiler.finish("fraud", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z");
    ServiceProfile read = ServiceProfile.fromJson(profile.toJson());
    assertThat(read).isEqualTo(profile);
    assertThat(read.feature("v__amount").orElseThrow().kllSketch().toByteArray())
        .isEqualTo(amount.finish().kllSketch().toByteArray());
    assertThat(profile.toJson()).contains("\"null_fraction\"", "\"format\" : \"lockstep.profile\"");

    profile.write(directory);
    assertThat(ServiceProfile.read(directory)).isEqualTo(profile);
    assertThat(ServiceProfile.read(directory.resolve(ServiceProfile.FILE_NAME))).isEqualTo(profile);
  }

  @Test
  void aFileThatIsNotAProfileIsRefused() throws Exception {
    Files.writeString(directory.resolve(ServiceProfile.FILE_NAME), "{\"format\": \"lockstep.training-set\", \"version\": 1}");
    assertThatThrownBy(() -> ServiceProfile.read(directory))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageEndingWith("it is lockstep.training-set version 1, not lockstep.profile version 1");
    assertThatThrownBy(() -> ServiceProfile.read(directory.resolve("missing")))
        .isExactlyInstanceOf(LockstepException.class)
        .hasMessage("Cannot read profile " + directory.resolve("missing") + ": no such file (training sets built"
            + " before profiles existed have none; build the training set again)");
  }

  @Test
  void aValueOfTheWrongKindIsRefused() {
    ValueProfiler profiler = ValueProfiler.inferred("v__x", 1000);
    profiler.add(1L);
    assertThatThrownBy(() -> profiler.add("a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot profile feature 'v__x': the value a is not a number like the others");
    assertThatThrownBy(() -> profiler.add(true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot profile feature 'v__x': a value of java.lang.Boolean (feature values are Long, Double, String or a List of them)");
  }
}
