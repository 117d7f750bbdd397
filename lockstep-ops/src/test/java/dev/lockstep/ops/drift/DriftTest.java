package dev.lockstep.ops.drift;

import dev.lockstep.core.drift.DriftState;
import dev.lockstep.core.drift.DriftThresholds;
import dev.lockstep.core.drift.FeatureProfile;
import dev.lockstep.core.drift.ServiceProfile;
import dev.lockstep.core.drift.ValueProfiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lockstep.api.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PSI, KS and states against values computed by hand from the formulas in {@link Drift}. */
class DriftTest {
  private static final double E = Drift.EPSILON;
  private static final List<Object> ONE_TO_TEN = List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);
  private static final List<Object> SHIFTED = List.of(1.0, 1.0, 1.0, 2.0, 2.0, 5.5, 7.0, 9.5, 10.0, 20.0);

  @Test
  void numericPsiBinsServedValuesAtTheTrainingDeciles() {
    FeatureProfile training = numbers(ONE_TO_TEN);
    FeatureProfile served = numbers(SHIFTED);
    // training deciles 1..9: bins (-inf,1] (1,2] ... (8,9] (9,inf), 0.1 of the training values each;
    // served: 3 at <= 1, 2 in (1,2], none in (2,3] (3,4] (4,5], 5.5 in (5,6], 7 in (6,7],
    // none in (7,8] (8,9], and 9.5, 10, 20 above 9; null and NaN bins empty on both sides
    double expected = (0.3 - 0.1) * Math.log(0.3 / 0.1)
        + (0.2 - 0.1) * Math.log(0.2 / 0.1)
        + 5 * (E - 0.1) * Math.log(E / 0.1)
        + 2 * (0.1 - 0.1) * Math.log(0.1 / 0.1)
        + (0.3 - 0.1) * Math.log(0.3 / 0.1);
    assertThat(Drift.edges(training)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(Drift.psi(training, served)).isCloseTo(expected, within(1e-12));
    assertThat(Drift.psi(training, training)).isZero();
  }

  @Test
  void ksIsTheLargestGapBetweenTheCdfs() {
    // F_train(2) = 2/10, F_served(2) = 5/10; no other point is further apart
    assertThat(Drift.ks(numbers(ONE_TO_TEN), numbers(SHIFTED))).isCloseTo(Math.abs(2.0 / 10 - 5.0 / 10), within(1e-12));
    assertThat(Drift.ks(numbers(ONE_TO_TEN), numbers(ONE_TO_TEN))).isZero();
    // different sizes: served {4, 4, 11, 12}; F_train(4) = 4/10 against 2/4, F_train(10) = 1 against 2/4
    assertThat(Drift.ks(numbers(ONE_TO_TEN), numbers(List.of(4.0, 4.0, 11.0, 12.0))))
        .isCloseTo(1 - 2.0 / 4, within(1e-12));
    // disjoint supports: KS is 1
    assertThat(Drift.ks(numbers(ONE_TO_TEN), numbers(List.of(100.0, 200.0)))).isEqualTo(1.0);
  }

  @Test
  void nullsAndNansAreBinsOfPsiAndLeftOutOfKs() {
    List<Object> training = new ArrayList<>(ONE_TO_TEN);
    training.addAll(Collections.nCopies(2, null));
    List<Object> served = new ArrayList<>(ONE_TO_TEN);
    served.addAll(Collections.nCopies(4, null));
    served.addAll(List.of(Double.NaN, Double.NaN));
    FeatureProfile expectedProfile = numbers(training);
    FeatureProfile actualProfile = numbers(served);
    // training: 12 observations, 1/12 per decile bin, 2/12 nulls, no NaN;
    // served: 16 observations, 1/16 per decile bin, 4/16 nulls, 2/16 NaN
    double expected = 10 * (1.0 / 16 - 1.0 / 12) * Math.log((1.0 / 16) / (1.0 / 12))
        + (4.0 / 16 - 2.0 / 12) * Math.log((4.0 / 16) / (2.0 / 12))
        + (2.0 / 16 - E) * Math.log((2.0 / 16) / E);
    assertThat(Drift.psi(expectedProfile, actualProfile)).isCloseTo(expected, within(1e-12));
    assertThat(Drift.ks(expectedProfile, actualProfile)).isZero();
    assertThat(actualProfile.nulls()).isEqualTo(4);
    assertThat(actualProfile.nans()).isEqualTo(2);
    assertThat(actualProfile.values()).isEqualTo(10);
    assertThat(actualProfile.count()).isEqualTo(16);
    assertThat(actualProfile.nullFraction()).isEqualTo(4.0 / 16);
  }

  @Test
  void duplicateDecilesCollapseIntoOneBin() {
    // training deciles 0,0,0,0,0,0,0,0,1 -> edges {0, 1}: bins (-inf,0] (0,1] (1,inf)
    FeatureProfile training = numbers(List.of(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0));
    FeatureProfile served = numbers(List.of(0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 2.0, 3.0));
    double expected = (0.5 - 0.8) * Math.log(0.5 / 0.8)
        + (0.3 - 0.1) * Math.log(0.3 / 0.1)
        + (0.2 - 0.1) * Math.log(0.2 / 0.1);
    assertThat(Drift.edges(training)).containsExactly(0, 1);
    assertThat(Drift.psi(training, served)).isCloseTo(expected, within(1e-12));
  }

  @Test
  void categoricalPsiBinsTrainingCategoriesOtherAndNull() {
    FeatureProfile training = strings(Arrays.asList("a", "a", "a", "a", "a", "b", "b", "b", "c", null));
    FeatureProfile served = strings(Arrays.asList("a", "a", "b", "b", "d", "d", "d", "d", null, null));
    // bins a, b, c, other, null: training .5 .3 .1 0 .1; served .2 .2 0 .4 .2
    double expected = (0.2 - 0.5) * Math.log(0.2 / 0.5)
        + (0.2 - 0.3) * Math.log(0.2 / 0.3)
        + (E - 0.1) * Math.log(E / 0.1)
        + (0.4 - E) * Math.log(0.4 / E)
        + (0.2 - 0.1) * Math.log(0.2 / 0.1);
    assertThat(Drift.psi(training, served)).isCloseTo(expected, within(1e-12));
    assertThat(Drift.ks(training, served)).isNull();
  }

  @Test
  void listFeaturesAreProfiledOverTheirElements() {
    ValueProfiler profiler = ValueProfiler.declared("v__last_merchants", ValueType.STRING, true);
    profiler.add(List.of("a", "b"));
    profiler.add(null);
    profiler.add(List.of());
    profiler.add(Arrays.asList("a", null));
    FeatureProfile profile = profiler.finish();
    assertThat(profile.type()).isEqualTo("list<string>");
    assertThat(profile.count()).isEqualTo(4);
    assertThat(profile.nulls()).isEqualTo(1);
    assertThat(profile.values()).isEqualTo(3);
    assertThat(profile.categories()).containsExactly(java.util.Map.entry("a", 2L), java.util.Map.entry("b", 1L));
    assertThat(profile.other()).isZero();
  }

  @Test
  void statesFollowTheThresholdsAndTheMinimumCount() {
    ServiceProfile training = ServiceProfile.of("fraud", 10, null, null, List.of(
        numbers("same", ONE_TO_TEN), numbers("moved", ONE_TO_TEN), numbers("unserved", ONE_TO_TEN)));
    ServiceProfile served = ServiceProfile.of("fraud", 10, null, null, List.of(
        numbers("same", ONE_TO_TEN), numbers("moved", SHIFTED)));
    // "moved": PSI above (see the first test), KS 0.3
    DriftReport report = Drift.compare(training, served, new DriftThresholds(0.1, 100, 0.1, 0.25, 10));
    assertThat(report.feature("same").orElseThrow().state()).isEqualTo(DriftState.OK);
    assertThat(report.feature("moved").orElseThrow().state()).isEqualTo(DriftState.ALERT);
    assertThat(report.feature("moved").orElseThrow().ks()).isCloseTo(0.3, within(1e-12));
    assertThat(report.feature("unserved").orElseThrow())
        .isEqualTo(new FeatureDrift("unserved", "double", null, null, 10, 0, DriftState.NOT_ENOUGH_DATA));
    assertThat(report.state()).isEqualTo(DriftState.ALERT);
    // KS 0.3 only warns under a higher alert threshold, PSI under 100 never alerts
    assertThat(Drift.compare(training, served, new DriftThresholds(0.1, 100, 0.1, 0.5, 10))
        .feature("moved").orElseThrow().state()).isEqualTo(DriftState.WARN);
    // too few served rows
    DriftReport few = Drift.compare(training, served, DriftThresholds.defaults());
    assertThat(few.features()).extracting(FeatureDrift::state).containsOnly(DriftState.NOT_ENOUGH_DATA);
    assertThat(few.state()).isEqualTo(DriftState.NOT_ENOUGH_DATA);
    assertThat(few.feature("moved").orElseThrow().psi()).isNotNull();
    assertThat(report.toMap()).containsEntry("service", "fraud").containsEntry("state", "ALERT");
    assertThat(report.feature("same").orElseThrow().toMap())
        .containsEntry("psi", 0.0).containsEntry("ks", 0.0).containsEntry("training_count", 10L)
        .containsEntry("served_count", 10L).containsEntry("state", "OK");
  }

  @Test
  void thresholdDefaultsArePinned() {
    assertThat(DriftThresholds.defaults()).isEqualTo(new DriftThresholds(0.1, 0.25, 0.1, 0.2, 100));
    assertThat(DriftState.ALERT.level()).isEqualTo(2);
    assertThat(DriftState.NOT_ENOUGH_DATA.level()).isEqualTo(-1);
    assertThatThrownBy(() -> new DriftThresholds(0.3, 0.2, 0.1, 0.2, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot use drift thresholds: psi warn 0.3 and alert 0.2 (need 0 <= warn <= alert)");
  }

  @Test
  void aNumericFeatureCannotBeComparedWithStrings() {
    assertThatThrownBy(() -> Drift.psi(numbers(ONE_TO_TEN), strings(List.of("a"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot compare feature 'x': its training values are double and its served values string");
  }

  static FeatureProfile numbers(List<Object> values) {
    return numbers("x", values);
  }

  static FeatureProfile numbers(String name, List<Object> values) {
    ValueProfiler profiler = ValueProfiler.declared(name, ValueType.DOUBLE, false);
    values.forEach(profiler::add);
    return profiler.finish();
  }

  static FeatureProfile strings(List<Object> values) {
    ValueProfiler profiler = ValueProfiler.declared("x", ValueType.STRING, false);
    values.forEach(profiler::add);
    return profiler.finish();
  }
}
