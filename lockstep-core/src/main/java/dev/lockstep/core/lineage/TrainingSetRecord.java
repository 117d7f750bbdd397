package dev.lockstep.core.lineage;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * One training set Lockstep built, as recorded in the offline table {@link TrainingSets#TABLE}.
 *
 * @param name the output directory's file name, e.g. {@code train_q3}
 * @param path the output directory, absolute: it holds {@code manifest.json} and the Parquet files
 * @param service the feature service it was built for
 * @param registryVersion the registry version whose definitions were used
 * @param mode {@code EVENT_TIME} or {@code AS_OF_INGEST}
 * @param rows output rows
 * @param createdAt when it was built (the manifest's {@code created_at})
 */
public record TrainingSetRecord(
    String name, Path path, String service, long registryVersion, String mode, long rows, Instant createdAt) {

  /** Its node in the lineage graph. */
  public LineageNode node() {
    return new LineageNode(LineageNode.Kind.TRAINING_SET, name, Map.of(
        "path", path.toString(),
        "service", service,
        "registry_version", registryVersion,
        "mode", mode,
        "rows", rows,
        "created_at", createdAt.toString()));
  }
}
