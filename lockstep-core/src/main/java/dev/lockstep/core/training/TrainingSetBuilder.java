package dev.lockstep.core.training;

import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.LockstepException;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.api.definition.FeatureReference;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.spi.Capabilities;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.spi.offline.Snapshot;
import dev.lockstep.spi.offline.SupportsBatchScans;
import dev.lockstep.spi.offline.SupportsBatchScans.ScanTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Builds point-in-time-correct training sets (docs/architecture.md, "Semantics") from the offline store with the engine's
 * sweeps, multi-threaded and in bounded memory.
 *
 * <p>Algorithm, per group of features that read the same source and filter:
 *
 * <ol>
 *   <li><b>Partition.</b> The source's snapshot is scanned in parallel tasks; each event goes to the
 *       spill file of its entity key's hash partition. The spine is read once and each row (its
 *       index, key and time) goes to the same partition of every group. The partition count is
 *       chosen so one partition's events fit the memory budget of one thread.
 *   <li><b>Evaluate.</b> Partitions are evaluated in parallel ({@link PartitionEvaluator}); each
 *       writes its spine rows' values in spine order.
 *   <li><b>Merge.</b> Output parts of {@link #partRows} spine rows are written in parallel: each
 *       row's spilled spine values, its values from its partition's result file (the partition is
 *       recomputed from the key), its on-demand features. Parts in order are the spine's order.
 * </ol>
 *
 * Results do not depend on the thread or partition count: each entity's events are evaluated
 * together by the same deterministic sweep.
 */
public final class TrainingSetBuilder {
  /** Spine rows per output part by default; parts are written in parallel, each to its own file. */
  public static final int PART_ROWS = 1 << 18;

  private static final int BATCH_ROWS = 8192;
  private static final long MAX_PARTITIONS = 4096;
  private static final long PARALLEL_THRESHOLD = 50_000;
  private static final long EVENTS_PER_PARTITION = 500_000;

  private final OfflineStore store;
  private final FeatureRepository repository;
  private final String service;
  private PointInTimeMode mode = PointInTimeMode.EVENT_TIME;
  private Map<String, Long> pinnedSnapshots = Map.of();
  private int threads = Runtime.getRuntime().availableProcessors();
  private long memoryBudgetBytes = Runtime.getRuntime().maxMemory() / 2;
  private Path workDirectory;
  private ClassLoader classLoader = TrainingSetBuilder.class.getClassLoader();
  private TrainingSetListener listener = TrainingSetListener.QUIET;
  private int partRows = PART_ROWS;

  private TrainingSetBuilder(OfflineStore store, FeatureRepository repository, String service) {
    this.store = Objects.requireNonNull(store, "store");
    this.repository = Objects.requireNonNull(repository, "repository");
    this.service = Objects.requireNonNull(service, "service");
  }

  /** A build of the training set of feature service {@code service}, reading {@code store}. */
  public static TrainingSetBuilder forService(
      OfflineStore store, FeatureRepository repository, String service) {
    return new TrainingSetBuilder(store, repository, service);
  }

  public TrainingSetBuilder mode(PointInTimeMode mode) {
    this.mode = Objects.requireNonNull(mode, "mode");
    return this;
  }

  /** Read these snapshots (source name to snapshot id) instead of the current ones. */
  public TrainingSetBuilder pinnedSnapshots(Map<String, Long> snapshots) {
    this.pinnedSnapshots = Map.copyOf(snapshots);
    return this;
  }

  /** @throws IllegalArgumentException if {@code threads < 1} */
  public TrainingSetBuilder threads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("Cannot use " + threads + " threads (use 1 or more)");
    }
    this.threads = threads;
    return this;
  }

  /** The heap the build may fill with events and values at once; spills beyond it. */
  public TrainingSetBuilder memoryBudget(long bytes) {
    this.memoryBudgetBytes = Math.max(1 << 16, bytes);
    return this;
  }

  /** Where spill files go; a fresh directory under it is used and deleted afterwards. */
  public TrainingSetBuilder workDirectory(Path directory) {
    this.workDirectory = directory;
    return this;
  }

  /** The class loader that finds on-demand feature classes. */
  public TrainingSetBuilder classLoader(ClassLoader loader) {
    this.classLoader = Objects.requireNonNull(loader, "loader");
    return this;
  }

  /**
   * Spine rows per output part (default {@link #PART_ROWS}); the output is the same rows in the
   * same order whatever the value, in a different number of files.
   */
  public TrainingSetBuilder partRows(int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("Cannot write parts of " + rows + " rows (use 1 or more)");
    }
    this.partRows = rows;
    return this;
  }

  public TrainingSetBuilder listener(TrainingSetListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * Builds the training set for {@code spine}, writing every spine row with its features to the
   * sinks {@code sinks} opens, one per part of {@link #partRows} spine rows. The spine is read
   * once.
   *
   * @throws InvalidDefinitionException if the service cannot be resolved or the spine lacks a join
   *     key column
   * @throws IllegalArgumentException if a spine row's time cannot be read (naming the row)
   */
  public TrainingSetResult build(SpineInput spine, TrainingSetSink.Factory sinks) {
    TrainingPlan plan = TrainingPlan.of(repository, service);
    OnDemandStep onDemand = OnDemandStep.of(plan, spine.columns(), classLoader);
    SupportsBatchScans scans = Capabilities.require(store, SupportsBatchScans.class, "batch scans");
    Map<String, OptionalLong> snapshots = new LinkedHashMap<>();
    List<List<ScanTask>> tasks = new ArrayList<>();
    long estimatedEvents = 0;
    for (TrainingPlan.EventGroup group : plan.groups()) {
      OptionalLong snapshot = snapshot(group.source().name());
      snapshots.put(group.source().name(), snapshot);
      List<ScanTask> groupTasks = List.of();
      if (snapshot.isPresent()) {
        groupTasks =
            scans.planBatchScan(
                group.source().name(),
                ScanRequest.atSnapshot(snapshot.getAsLong()).withColumns(scanColumns(group)),
                BATCH_ROWS);
      }
      tasks.add(groupTasks);
      estimatedEvents += groupTasks.stream().mapToLong(ScanTask::estimatedRows).sum();
    }
    int partitions = partitions(plan, estimatedEvents, spine.estimatedRows());
    Path directory = createWorkDirectory();
    try {
      SpineSummary summary =
          new PartitionPhase(plan, spine, tasks, partitions, partRows, threads, directory, listener).run();
      long eventsRead = summary.events();
      new EvaluatePhase(plan, mode, partitions, partRows, threads, directory, listener).run();
      List<FeatureColumn> columns = onDemand.outputColumns(plan);
      new MergePhase(plan, spine.columns(), partitions, partRows, threads, directory, onDemand, listener, summary.rows())
          .run(sinks, columns);
      List<FeatureReference> features =
          plan.outputs().stream().map(TrainingPlan.OutputFeature::reference).toList();
      return new TrainingSetResult(
          features,
          columns,
          snapshots,
          summary.rows(),
          summary.minTime(),
          summary.maxTime(),
          eventsRead,
          partitions);
    } finally {
      deleteRecursively(directory);
    }
  }

  private OptionalLong snapshot(String source) {
    if (!store.tables().contains(source)) {
      throw new LockstepException(
          "Cannot build a training set: source '"
              + source
              + "' has no offline table yet (run lockstep ingest "
              + source
              + " FILE first)");
    }
    Long pinned = pinnedSnapshots.get(source);
    if (pinned != null) {
      return OptionalLong.of(pinned);
    }
    Optional<Snapshot> current = store.currentSnapshot(source);
    return current.isPresent() ? OptionalLong.of(current.get().id()) : OptionalLong.empty();
  }

  /** Key columns, then payload columns, then columns only the filter reads. */
  static List<String> scanColumns(TrainingPlan.EventGroup group) {
    List<String> columns = new ArrayList<>(group.source().keyColumns());
    columns.addAll(group.payloadColumns());
    for (String column : FilterColumns.of(group.filter())) {
      if (!columns.contains(column)) {
        columns.add(column);
      }
    }
    return columns;
  }

  private int partitions(TrainingPlan plan, long events, long spineRows) {
    long perThread = Math.max(1 << 15, memoryBudgetBytes / threads);
    long eventBytes = 0;
    for (TrainingPlan.EventGroup group : plan.groups()) {
      eventBytes = Math.max(eventBytes, 64L + 24L * group.payloadColumns().size());
    }
    int features = plan.outputs().size() + 1;
    long needed = events * eventBytes + Math.max(0, spineRows) * (40L + 24L * features);
    long partitions = (needed + perThread - 1) / perThread;
    if (events + spineRows > PARALLEL_THRESHOLD) {
      // enough partitions to keep every thread busy in the evaluate phase, and small enough that
      // one partition's arrays and key dictionary stay mostly in the processor's caches
      partitions = Math.max(partitions, 4L * threads);
      partitions = Math.max(partitions, (events + EVENTS_PER_PARTITION - 1) / EVENTS_PER_PARTITION);
    }
    return (int) Math.max(1, Math.min(MAX_PARTITIONS, partitions));
  }

  private Path createWorkDirectory() {
    try {
      Path parent = workDirectory != null ? workDirectory : Path.of(System.getProperty("java.io.tmpdir"));
      Files.createDirectories(parent);
      return Files.createTempDirectory(parent, "lockstep-training-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the training set's work directory", e);
    }
  }

  private static void deleteRecursively(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // best effort: leftover spill files only cost disk space
    }
  }
}
