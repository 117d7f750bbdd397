package dev.lockstep.ops.parity;

import dev.lockstep.core.internal.FeatureValues;
import dev.lockstep.api.LockstepException;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.core.training.FeatureColumn;
import dev.lockstep.core.training.TrainingSetSink;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The exact comparison of served and rebuilt values behind {@link Replay}, fed by the training-set
 * sinks of every part (on worker threads). Keeps the mismatches first in log order as examples,
 * so a report does not depend on thread timing.
 */
final class ReplayComparison {
  private record Position(long sequence, int feature) {}

  private static final Comparator<Position> LOG_ORDER =
      Comparator.comparingLong(Position::sequence).thenComparingInt(Position::feature);

  private final AtomicLong vectors = new AtomicLong();
  private final AtomicLong values = new AtomicLong();
  private final AtomicLong mismatches = new AtomicLong();
  private final AtomicLong mismatchedVectors = new AtomicLong();
  private final AtomicLong firstSequence = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong lastSequence = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong firstT = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong lastT = new AtomicLong(Long.MIN_VALUE);
  private final TreeMap<Position, ReplayReport.Mismatch> examples = new TreeMap<>(LOG_ORDER);
  private final Set<String> notCompared = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Set<String> onDemandCompared = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** A sink comparing each output row's logged vector (spine columns) with its rebuilt features. */
  TrainingSetSink sink(List<FeatureColumn> columns, Set<String> onDemand, Set<String> skipped, int sequence, int t,
      int entity, int vector, int request) {
    Map<String, Integer> positions = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      positions.put(columns.get(i).name(), i);
    }
    return new TrainingSetSink() {
      @Override
      public void write(Object[] spineRow, Object[] features) {
        Map<String, Object> served = VectorJson.read((String) spineRow[vector]);
        vectors.incrementAndGet();
        long rowSequence = (Long) spineRow[sequence];
        long rowT = (Long) spineRow[t];
        firstSequence.accumulateAndGet(rowSequence, Math::min);
        lastSequence.accumulateAndGet(rowSequence, Math::max);
        firstT.accumulateAndGet(rowT, Math::min);
        lastT.accumulateAndGet(rowT, Math::max);
        boolean mismatched = false;
        int feature = 0;
        for (Map.Entry<String, Object> value : served.entrySet()) {
          feature++;
          if (skipped.contains(value.getKey()) && spineRow[request] == null) {
            notCompared.add(value.getKey()); // logged before the log kept request fields
            continue;
          }
          Integer position = positions.get(value.getKey());
          if (position == null) {
            throw new LockstepException("Cannot replay: feature '" + value.getKey() + "' was served but the"
                + " training set of the same registry version has no such column (columns: "
                + positions.keySet() + "; this is a bug)");
          }
          values.incrementAndGet();
          if (onDemand.contains(value.getKey())) {
            onDemandCompared.add(value.getKey());
          }
          Object rebuilt = features[position];
          if (!FeatureValues.same(value.getValue(), rebuilt)) {
            mismatches.incrementAndGet();
            mismatched = true;
            example(new Position(rowSequence, feature), spineRow, t, entity, value.getKey(), value.getValue(),
                rebuilt);
          }
        }
        if (mismatched) {
          mismatchedVectors.incrementAndGet();
        }
      }

      @Override
      public void close() {}
    };
  }

  private void example(Position position, Object[] spineRow, int t, int entity, String feature, Object served,
      Object rebuilt) {
    synchronized (examples) {
      if (examples.size() == ReplayReport.MAX_EXAMPLES && LOG_ORDER.compare(position, examples.lastKey()) > 0) {
        return;
      }
      examples.put(position, new ReplayReport.Mismatch(VectorJson.read((String) spineRow[entity]),
          Instant.ofEpochMilli((Long) spineRow[t]), feature, served, rebuilt));
      if (examples.size() > ReplayReport.MAX_EXAMPLES) {
        examples.pollLastEntry();
      }
    }
  }

  /** The report; {@code notCompared} are the columns skipped on some rows (logged without request fields). */
  ReplayReport report(String service, PointInTimeMode mode, List<Long> versions) {
    synchronized (examples) {
      Optional<ReplayReport.Extent> extent = vectors.get() == 0
          ? Optional.empty()
          : Optional.of(new ReplayReport.Extent(firstSequence.get(), lastSequence.get(),
              Instant.ofEpochMilli(firstT.get()), Instant.ofEpochMilli(lastT.get())));
      return new ReplayReport(service, mode, versions, vectors.get(), values.get(), mismatches.get(),
          mismatchedVectors.get(), List.copyOf(examples.values()), onDemandCompared.stream().sorted().toList(),
          notCompared.stream().sorted().toList(), extent);
    }
  }
}
