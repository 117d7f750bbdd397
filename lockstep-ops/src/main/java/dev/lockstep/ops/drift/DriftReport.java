package dev.lockstep.ops.drift;

import dev.lockstep.core.drift.DriftState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The drift of every feature of a service (see {@link Drift#compare}).
 *
 * @param service the service of the training profile
 * @param features one result per training feature, in training order
 */
public record DriftReport(String service, List<FeatureDrift> features) {
  public DriftReport {
    features = List.copyOf(features);
  }

  /** The worst feature state; {@link DriftState#NOT_ENOUGH_DATA} if no feature could be judged. */
  public DriftState state() {
    DriftState state = DriftState.NOT_ENOUGH_DATA;
    for (FeatureDrift feature : features) {
      state = state.worse(feature.state());
    }
    return state;
  }

  /** The result of feature column {@code name}, if the training profile has it. */
  public Optional<FeatureDrift> feature(String name) {
    return features.stream().filter(feature -> feature.feature().equals(name)).findFirst();
  }

  /** This report as a map for JSON: {@code service}, {@code state}, {@code features} (see {@link FeatureDrift#toMap}). */
  public Map<String, Object> toMap() {
    List<Map<String, Object>> list = new ArrayList<>(features.size());
    features.forEach(feature -> list.add(feature.toMap()));
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("service", service);
    map.put("state", state().name());
    map.put("features", list);
    return map;
  }
}
