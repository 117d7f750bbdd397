package dev.lockstep.core.training;

import dev.lockstep.api.definition.FeatureReference;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a training-set build read and wrote, for its manifest.
 *
 * @param features the service's features, pinned to the versions computed, in output order
 * @param columns the feature columns, in output order
 * @param snapshots per source read, the offline snapshot id read (absent: the table was empty)
 * @param rows the number of spine rows, which is the number of output rows
 * @param minTime the earliest spine time, if any row
 * @param maxTime the latest spine time, if any row
 * @param eventsRead the number of events read (after filters)
 * @param partitions how many partitions each event group was split into
 */
public record TrainingSetResult(
    List<FeatureReference> features,
    List<FeatureColumn> columns,
    Map<String, OptionalLong> snapshots,
    long rows,
    OptionalLong minTime,
    OptionalLong maxTime,
    long eventsRead,
    int partitions) {}
