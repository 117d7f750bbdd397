package dev.lockstep.core.training;

import dev.lockstep.api.LockstepException;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.Source;
import dev.lockstep.io.ColumnType;
import dev.lockstep.io.OutputColumn;
import dev.lockstep.io.ParquetDatasetWriter;
import dev.lockstep.io.SpineColumn;
import dev.lockstep.spi.Capabilities;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.spi.offline.RowBatch;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.spi.offline.Snapshot;
import dev.lockstep.spi.offline.SupportsBatchScans;
import dev.lockstep.spi.offline.SupportsBatchScans.ScanTask;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A spine derived from a source: one row per event of the source with event time in [from, to),
 * holding the entity's join keys and the event time (named as the source's event-time column), in
 * (event time, ingest time, sequence) order so the same snapshot gives the same spine.
 */
final class SourceSpine {
  private SourceSpine() {}

  /**
   * Writes the spine to {@code file} (Parquet).
   *
   * @param pinned the snapshot to read, or null for the current one
   * @return the snapshot read, empty if the table has none
   */
  static OptionalLong write(
      OfflineStore store,
      FeatureRepository repository,
      String sourceName,
      Long pinned,
      Optional<Instant> from,
      Optional<Instant> to,
      Path file) {
    Source source =
        repository
            .source(sourceName)
            .orElseThrow(
                () ->
                    new LockstepException(
                        "Cannot derive a spine: there is no source '" + sourceName + "'"));
    Entity entity = repository.entity(source.entity()).orElseThrow();
    SupportsBatchScans scans = Capabilities.require(store, SupportsBatchScans.class, "batch scans");
    OptionalLong snapshot =
        pinned != null
            ? OptionalLong.of(pinned)
            : store.currentSnapshot(sourceName).map(Snapshot::id).map(OptionalLong::of).orElse(OptionalLong.empty());
    List<Object[]> keys = new ArrayList<>();
    long[][] order = new long[0][];
    if (snapshot.isPresent()) {
      ScanRequest request =
          ScanRequest.atSnapshot(snapshot.getAsLong())
              .withEventTimeRange(from.orElse(null), to.orElse(null))
              .withColumns(source.keyColumns());
      List<long[]> times = new ArrayList<>();
      for (ScanTask task : scans.planBatchScan(sourceName, request, 8192)) {
        try (CloseableIterator<RowBatch> batches = task.open()) {
          while (batches.hasNext()) {
            RowBatch batch = batches.next();
            for (int row = 0; row < batch.size(); row++) {
              Object[] key = new Object[source.keyColumns().size()];
              for (int column = 0; column < key.length; column++) {
                key[column] = batch.value(column, row);
              }
              times.add(
                  new long[] {
                    batch.eventTimes()[row], batch.ingestTimes()[row], batch.sequences()[row], keys.size()
                  });
              keys.add(key);
            }
          }
        }
      }
      order = times.toArray(new long[0][]);
      Arrays.sort(
          order,
          (a, b) -> {
            for (int i = 0; i < 3; i++) {
              int compared = Long.compare(a[i], b[i]);
              if (compared != 0) {
                return compared;
              }
            }
            return 0;
          });
    }
    List<OutputColumn> columns = new ArrayList<>();
    for (int i = 0; i < entity.joinKeys().size(); i++) {
      ValueType type = source.column(source.keyColumns().get(i)).orElseThrow().type();
      columns.add(OutputColumn.passThrough(new SpineColumn(entity.joinKeys().get(i), ColumnType.of(type))));
    }
    columns.add(OutputColumn.passThrough(new SpineColumn(source.eventTimeColumn(), ColumnType.TIMESTAMP_MILLIS_UTC)));
    try (ParquetDatasetWriter writer = ParquetDatasetWriter.create(file, columns)) {
      for (long[] event : order) {
        Object[] key = keys.get((int) event[3]);
        Object[] row = Arrays.copyOf(key, key.length + 1);
        row[key.length] = event[0];
        writer.write(row);
      }
    }
    return snapshot;
  }
}
