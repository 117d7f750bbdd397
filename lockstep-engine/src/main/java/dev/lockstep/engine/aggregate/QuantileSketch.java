package dev.lockstep.engine.aggregate;

import com.datadoghq.sketch.ddsketch.DDSketch;

/**
 * The mutable partial of approx_percentile: a DDSketch of the values it can index, and exact counts
 * of the values it cannot (below or above its range, infinities included, and NaN).
 */
final class QuantileSketch {
  final DDSketch sketch;
  long below;
  long above;
  long nans;

  QuantileSketch(DDSketch sketch) {
    this.sketch = sketch;
  }

  long count() {
    return below + (long) sketch.getCount() + above + nans;
  }
}
