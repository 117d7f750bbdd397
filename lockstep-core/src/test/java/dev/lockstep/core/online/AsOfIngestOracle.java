package dev.lockstep.core.online;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.core.training.FeatureColumn;
import dev.lockstep.core.training.SpineInput;
import dev.lockstep.core.training.TrainingSetBuilder;
import dev.lockstep.core.training.TrainingSetSink;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.OfflineStore;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.List;

/**
 * The parity oracle of the online tests: rebuilds served vectors offline in {@code AS_OF_INGEST}
 * mode, each at the {@code t} it was served at, and asserts every value identical (doubles bit for
 * bit). The offline store must hold the streamed events (flush the runtime's offline appender).
 */
final class AsOfIngestOracle {
  /** What a check compared: the service's columns, and the values that were neither null nor 0. */
  record Checked(List<FeatureColumn> columns, int present) {}

  private AsOfIngestOracle() {}

  /**
   * @param keyColumn the entity's single join key, the spine's first column
   */
  static Checked assertServedExactly(OfflineStore offline, FeatureRepository repository, String service, Path work,
      String keyColumn, List<FeatureVector> vectors) {
    List<Object[]> spine = new ArrayList<>();
    for (FeatureVector vector : vectors) {
      spine.add(new Object[] {vector.entity().get(keyColumn), vector.t().toEpochMilli()});
    }
    List<Object[]> expected = new ArrayList<>();
    List<FeatureColumn> columns = new ArrayList<>();
    TrainingSetBuilder.forService(offline, repository, service)
        .mode(PointInTimeMode.AS_OF_INGEST)
        .workDirectory(work)
        .build(spine(keyColumn, spine), (part, featureColumns) -> {
          columns.addAll(featureColumns);
          return new TrainingSetSink() {
            @Override
            public void write(Object[] spineRow, Object[] features) {
              expected.add(features.clone());
            }

            @Override
            public void close() {}
          };
        });
    assertThat(expected).hasSize(vectors.size());
    int present = 0;
    for (int e = 0; e < vectors.size(); e++) {
      for (int c = 0; c < columns.size(); c++) {
        Object served = vectors.get(e).value(columns.get(c).name());
        Object built = expected.get(e)[c];
        String what = vectors.get(e).entity() + " " + columns.get(c).name() + " at " + vectors.get(e).t();
        if (built instanceof Double number) {
          assertThat(served).as(what).isInstanceOf(Double.class);
          assertThat(Double.doubleToRawLongBits((Double) served)).as(what + ": %s vs %s", served, built)
              .isEqualTo(Double.doubleToRawLongBits(number));
        } else {
          assertThat(served).as(what).isEqualTo(built);
        }
        if (built != null && !(built instanceof Long number && number == 0)) {
          present++;
        }
      }
    }
    return new Checked(columns, present);
  }

  private static SpineInput spine(String keyColumn, List<Object[]> rows) {
    return new SpineInput() {
      @Override
      public List<String> columns() {
        return List.of(keyColumn, "ts");
      }

      @Override
      public CloseableIterator<Object[]> open() {
        return CloseableIterator.of(rows.iterator());
      }

      @Override
      public long timeMillis(Object[] row) {
        return (Long) row[1];
      }
    };
  }

}
