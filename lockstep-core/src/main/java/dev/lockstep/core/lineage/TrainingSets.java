package dev.lockstep.core.lineage;

import dev.lockstep.core.internal.SystemTables;
import dev.lockstep.core.internal.Digests;
import dev.lockstep.core.internal.OfflineTables;
import dev.lockstep.core.training.TrainingSetManifest;
import dev.lockstep.spi.Capabilities;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.spi.offline.Schema;
import dev.lockstep.spi.offline.SupportsIdempotentAppends;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The training sets built in a project: one row each in the offline table {@link #TABLE}, appended
 * when a build completes, so lineage reaches past the registry to what was trained on, and drift
 * monitoring finds the newest training set of a service (and the {@code profile.json} beside it).
 *
 * <p>A row's commit key is derived from the output directory and the bytes of its manifest, so
 * recording the same build twice (a retry) appends it once, while a rebuild into the same directory
 * (a new manifest, with a new {@code created_at}) is a new row.
 */
public final class TrainingSets {
  /** The offline table of training sets. */
  public static final String TABLE = SystemTables.TRAINING_SETS.name();
  /** Its payload columns; the event time of a row is the build's {@code created_at}. */
  public static final Schema SCHEMA = SystemTables.TRAINING_SETS.schema();

  private TrainingSets() {}

  /**
   * Records the training set in {@code output} that {@code manifest} describes (its {@code
   * manifest.json} must be written already).
   *
   * @return the record, whether appended now or by an earlier call with the same manifest
   * @throws dev.lockstep.spi.UnsupportedBackendOperationException if the store lacks idempotent
   *     appends
   */
  public static TrainingSetRecord record(OfflineStore offlineStore, TrainingSetManifest manifest, Path output,
      Clock clock) {
    SupportsIdempotentAppends store =
        Capabilities.require(offlineStore, SupportsIdempotentAppends.class, "idempotent appends");
    Path directory = output.toAbsolutePath().normalize();
    Instant createdAt = Instant.parse(manifest.createdAt());
    TrainingSetRecord record = new TrainingSetRecord(
        directory.getFileName() == null ? directory.toString() : directory.getFileName().toString(),
        directory, manifest.service(), manifest.registryVersion(), manifest.mode(), manifest.rows().output(),
        createdAt);
    OfflineTables.ensure(store, TABLE, SCHEMA, "record a training set in");
    String commitKey = "training-set:sha256:" + Digests.sha256(directory.resolve(TrainingSetManifest.FILE_NAME))
        + ":" + directory;
    if (store.findCommit(TABLE, commitKey).isEmpty()) {
      Row row = Row.of(createdAt.toEpochMilli(), clock.millis(), 0,
          record.name(), record.path().toString(), record.service(), record.registryVersion(), record.mode(),
          record.rows(), createdAt.toString());
      OfflineTables.appendNumbered(store, TABLE, SCHEMA, "record a training set in", List.of(row), commitKey);
    }
    return record;
  }

  /** Every recorded training set, oldest first (ties by path); empty if none was ever recorded. */
  public static List<TrainingSetRecord> list(OfflineStore store) {
    if (!store.tables().contains(TABLE)) {
      return List.of();
    }
    List<TrainingSetRecord> records = new ArrayList<>();
    try (CloseableIterator<Row> rows = store.scan(TABLE, ScanRequest.latest())) {
      while (rows.hasNext()) {
        Row row = rows.next();
        records.add(new TrainingSetRecord((String) row.value(0), Path.of((String) row.value(1)),
            (String) row.value(2), (Long) row.value(3), (String) row.value(4), (Long) row.value(5),
            Instant.parse((String) row.value(6))));
      }
    }
    records.sort(Comparator.comparing(TrainingSetRecord::createdAt)
        .thenComparing(record -> record.path().toString()));
    return List.copyOf(records);
  }

  /** The most recently built training set of {@code service}, if any was recorded. */
  public static Optional<TrainingSetRecord> newest(OfflineStore store, String service) {
    List<TrainingSetRecord> records = list(store).stream()
        .filter(record -> record.service().equals(service)).toList();
    return records.isEmpty() ? Optional.empty() : Optional.of(records.get(records.size() - 1));
  }
}
