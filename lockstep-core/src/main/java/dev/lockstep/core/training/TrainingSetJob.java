package dev.lockstep.core.training;

import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.LockstepException;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.core.drift.ServiceProfile;
import dev.lockstep.core.drift.ServiceProfiler;
import dev.lockstep.core.drift.ValueProfiler;
import dev.lockstep.core.internal.Digests;
import dev.lockstep.io.ColumnType;
import dev.lockstep.io.OutputColumn;
import dev.lockstep.io.ParquetDatasetWriter;
import dev.lockstep.io.SpineColumn;
import dev.lockstep.io.SpineFile;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.OfflineStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Builds a training set end to end: reads or derives the spine, runs the {@link
 * TrainingSetBuilder}, writes {@code part-00000.parquet}, {@code profile.json} (the feature columns'
 * {@link ServiceProfile}, for drift monitoring) and {@code manifest.json}. A manifest can be fed back
 * (see {@link #rebuildOptions}) to build the same data bytes again.
 */
public final class TrainingSetJob {
  /** The data file of part {@code n}: {@code part-00000.parquet}, {@code part-00001.parquet}, ... */
  public static String dataFile(int part) {
    return String.format(java.util.Locale.ROOT, "part-%05d.parquet", part);
  }
  private static final List<String> TIME_COLUMNS = List.of("ts", "timestamp", "event_time");

  private final OfflineStore store;
  private final Path workDirectory;
  private final ClassLoader classLoader;
  private final Clock clock;

  public TrainingSetJob(OfflineStore store, Path workDirectory, ClassLoader classLoader, Clock clock) {
    this.store = store;
    this.workDirectory = workDirectory;
    this.classLoader = classLoader;
    this.clock = clock;
  }

  /**
   * Builds the training set {@code options} describes from the definitions of registry version
   * {@code registryVersion}.
   *
   * @throws LockstepException with a one-line message for a bad request (output not empty, spine
   *     without a time column, unknown service, ...)
   */
  public TrainingSetManifest run(
      FeatureRepository repository,
      long registryVersion,
      TrainingSetOptions options,
      TrainingSetListener listener) {
    return run(repository, registryVersion, options, null, listener);
  }

  /**
   * Builds the training set {@code manifest} describes again, into {@code output}, from {@code
   * repository} (the manifest's registry version): the same snapshots, spine and mode, so the same
   * bytes.
   *
   * @throws LockstepException if the spine file's bytes changed since the manifest was written
   */
  public TrainingSetManifest rebuild(
      FeatureRepository repository,
      TrainingSetManifest manifest,
      Path output,
      TrainingSetListener listener) {
    return run(
        repository,
        manifest.registryVersion(),
        rebuildOptions(manifest, output),
        manifest.spine().sha256(),
        listener);
  }

  private TrainingSetManifest run(
      FeatureRepository repository,
      long registryVersion,
      TrainingSetOptions options,
      String expectedSpineSha,
      TrainingSetListener listener) {
    String spineSha = options.spineFile().map(TrainingSetJob::sha256).orElse(null);
    if (expectedSpineSha != null && spineSha != null && !expectedSpineSha.equals(spineSha)) {
      throw new LockstepException(
          "Cannot rebuild the training set: the spine "
              + options.spineFile().get()
              + " changed since it was built (SHA-256 "
              + spineSha
              + ", the manifest has "
              + expectedSpineSha
              + "; restore the original spine)");
    }
    Path output = prepareOutput(options.output());
    Map<String, Long> pinned = new LinkedHashMap<>(options.pinnedSnapshots());
    Path derivedSpine = null;
    try {
      Path spinePath;
      if (options.spineFile().isPresent()) {
        spinePath = options.spineFile().get();
      } else {
        String source = options.spineSource().get();
        Files.createDirectories(workDirectory);
        derivedSpine = Files.createTempFile(workDirectory, "spine-", ".parquet");
        Files.delete(derivedSpine);
        OptionalLong snapshot =
            SourceSpine.write(
                store, repository, source, pinned.get(source), options.from(), options.to(), derivedSpine);
        snapshot.ifPresent(id -> pinned.put(source, id));
        spinePath = derivedSpine;
      }
      SpineFile spine = SpineFile.open(spinePath);
      String timeColumn = timeColumn(spine, options.timeColumn(), repository, options);
      SpineInput input = new FileSpine(spine, timeColumn, options.zone());
      int threads = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
      java.util.SortedMap<Integer, Long> partRows = java.util.Collections.synchronizedSortedMap(new java.util.TreeMap<>());
      java.util.SortedMap<Integer, ServiceProfiler> partProfiles =
          java.util.Collections.synchronizedSortedMap(new java.util.TreeMap<>());
      TrainingSetResult result =
          TrainingSetBuilder.forService(store, repository, options.service())
              .mode(options.mode())
              .pinnedSnapshots(pinned)
              .threads(threads)
              .workDirectory(workDirectory)
              .classLoader(classLoader)
              .listener(listener)
              .build(input, (part, features) -> sink(output, part, spine.columns(), features, partRows, partProfiles));
      profile(options.service(), result, partProfiles).write(output);
      return manifest(repository, registryVersion, options, result, spineSha, timeColumn, output, partRows);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot build the training set: " + e.getMessage(), e);
    } finally {
      if (derivedSpine != null) {
        try {
          Files.deleteIfExists(derivedSpine);
        } catch (IOException e) {
          // a leftover temporary spine only costs disk space
        }
      }
    }
  }

  /** The options that rebuild the training set {@code manifest} describes into {@code output}. */
  private static TrainingSetOptions rebuildOptions(TrainingSetManifest manifest, Path output) {
    Map<String, Long> snapshots = new LinkedHashMap<>();
    manifest.snapshots().forEach((source, id) -> {
      if (id != null) {
        snapshots.put(source, id);
      }
    });
    TrainingSetManifest.Spine spine = manifest.spine();
    TrainingSetOptions options =
        spine.file() != null
            ? TrainingSetOptions.forService(manifest.service(), Path.of(spine.file()), output)
                .withTimeColumn(spine.timeColumn())
            : TrainingSetOptions.fromSource(
                manifest.service(),
                spine.source(),
                spine.from() == null ? null : Instant.parse(spine.from()),
                spine.to() == null ? null : Instant.parse(spine.to()),
                output);
    if (spine.zone() != null) {
      options = options.withZone(java.time.ZoneId.of(spine.zone()));
    }
    return options
        .withMode(dev.lockstep.api.PointInTimeMode.valueOf(manifest.mode()))
        .withPinnedSnapshots(snapshots);
  }

  private TrainingSetManifest manifest(
      FeatureRepository repository,
      long registryVersion,
      TrainingSetOptions options,
      TrainingSetResult result,
      String spineSha,
      String timeColumn,
      Path output,
      java.util.SortedMap<Integer, Long> partRows) {
    List<TrainingSetManifest.Feature> features = new ArrayList<>();
    for (int i = 0; i < result.columns().size(); i++) {
      FeatureColumn column = result.columns().get(i);
      String type = column.list() ? "list<" + column.type().yamlName() + ">" : column.type().yamlName();
      features.add(new TrainingSetManifest.Feature(column.name(), result.features().get(i).toString(), type));
    }
    Map<String, Long> snapshots = new LinkedHashMap<>();
    result.snapshots().forEach((source, id) -> snapshots.put(source, id.isPresent() ? id.getAsLong() : null));
    TrainingSetManifest.Spine spine =
        new TrainingSetManifest.Spine(
            options.spineFile().map(path -> path.toAbsolutePath().normalize().toString()).orElse(null),
            spineSha,
            options.spineFile().isPresent() ? timeColumn : null,
            options.zone().map(Object::toString).orElse(null),
            options.spineSource().orElse(null),
            options.from().map(Instant::toString).orElse(null),
            options.to().map(Instant::toString).orElse(null));
    TrainingSetManifest.TimeRange range =
        result.minTime().isPresent()
            ? new TrainingSetManifest.TimeRange(
                Instant.ofEpochMilli(result.minTime().getAsLong()).toString(),
                Instant.ofEpochMilli(result.maxTime().getAsLong()).toString())
            : null;
    TrainingSetManifest manifest =
        new TrainingSetManifest(
            TrainingSetManifest.FORMAT,
            TrainingSetManifest.VERSION,
            options.service(),
            registryVersion,
            options.mode().name(),
            features,
            snapshots,
            spine,
            range,
            new TrainingSetManifest.Rows(result.rows(), result.rows(), result.eventsRead()),
            dataFiles(output, partRows),
            clock.instant().toString());
    manifest.write(output);
    return manifest;
  }

  /**
   * The profile of the output's feature columns: the parts' profiles merged in part order, so the
   * same rows give the same profile, except the KLL sketches of features with more than {@link
   * ValueProfiler#K} values, whose compaction DataSketches randomizes (docs/monitoring.md).
   */
  private static ServiceProfile profile(
      String service, TrainingSetResult result, java.util.SortedMap<Integer, ServiceProfiler> partProfiles) {
    ServiceProfiler profiler = profiler(result.columns());
    partProfiles.values().forEach(profiler::merge);
    return profiler.finish(
        service,
        result.minTime().isPresent() ? Instant.ofEpochMilli(result.minTime().getAsLong()).toString() : null,
        result.maxTime().isPresent() ? Instant.ofEpochMilli(result.maxTime().getAsLong()).toString() : null);
  }

  private static ServiceProfiler profiler(List<FeatureColumn> features) {
    return ServiceProfiler.of(
        features.stream().map(feature -> ValueProfiler.declared(feature.name(), feature.type(), feature.list())).toList());
  }

  private static List<TrainingSetManifest.DataFile> dataFiles(
      Path output, java.util.SortedMap<Integer, Long> partRows) {
    List<TrainingSetManifest.DataFile> files = new ArrayList<>();
    partRows.forEach(
        (part, rows) -> {
          Path file = output.resolve(dataFile(part));
          files.add(new TrainingSetManifest.DataFile(dataFile(part), rows, Digests.sha256(file)));
        });
    return files;
  }

  private static TrainingSetSink sink(
      Path output,
      int part,
      List<SpineColumn> spineColumns,
      List<FeatureColumn> features,
      java.util.SortedMap<Integer, Long> partRows,
      java.util.SortedMap<Integer, ServiceProfiler> partProfiles) {
    Path data = output.resolve(dataFile(part));
    List<OutputColumn> columns = new ArrayList<>();
    for (SpineColumn column : spineColumns) {
      columns.add(OutputColumn.passThrough(column));
    }
    for (FeatureColumn feature : features) {
      if (spineColumns.stream().anyMatch(column -> column.name().equals(feature.name()))) {
        throw new InvalidDefinitionException(
            "Cannot build a training set: the spine already has a column '"
                + feature.name()
                + "' (rename it in the spine)");
      }
      columns.add(OutputColumn.feature(feature.name(), feature.type(), feature.list()));
    }
    ParquetDatasetWriter writer = ParquetDatasetWriter.create(data, columns);
    int spineWidth = spineColumns.size();
    ServiceProfiler profiler = profiler(features);
    return new TrainingSetSink() {
      private final Object[] row = new Object[columns.size()];

      @Override
      public void write(Object[] spineRow, Object[] values) {
        System.arraycopy(spineRow, 0, row, 0, spineWidth);
        System.arraycopy(values, 0, row, spineWidth, values.length);
        writer.write(row);
        profiler.add(values);
      }

      @Override
      public void close() {
        writer.close();
        ParquetFooters.canonicalize(data);
        partRows.put(part, writer.rowCount());
        partProfiles.put(part, profiler);
      }
    };
  }

  private static String timeColumn(
      SpineFile spine, Optional<String> requested, FeatureRepository repository, TrainingSetOptions options) {
    List<String> names = spine.columns().stream().map(SpineColumn::name).toList();
    if (requested.isPresent()) {
      if (!names.contains(requested.get())) {
        throw new LockstepException(
            "Cannot build a training set: the spine has no column '"
                + requested.get()
                + "' (it has "
                + String.join(", ", names)
                + ")");
      }
      return requested.get();
    }
    if (options.spineSource().isPresent()) {
      return repository.source(options.spineSource().get()).orElseThrow().eventTimeColumn();
    }
    return TIME_COLUMNS.stream()
        .filter(names::contains)
        .findFirst()
        .orElseThrow(
            () ->
                new LockstepException(
                    "Cannot build a training set: the spine has no time column named ts, timestamp"
                        + " or event_time (name it with --timestamp-column; the spine has "
                        + String.join(", ", names)
                        + ")"));
  }

  private static Path prepareOutput(Path output) {
    try {
      if (Files.exists(output)) {
        try (Stream<Path> entries = Files.list(output)) {
          if (entries.findAny().isPresent()) {
            throw new LockstepException(
                "Cannot write the training set to "
                    + output
                    + ": the directory is not empty (choose a new --out directory)");
          }
        }
      }
      Files.createDirectories(output);
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + output + ": " + e.getMessage(), e);
    }
  }

  private static String sha256(Path file) {
    return Files.isDirectory(file) ? null : Digests.sha256(file);
  }

  /** A spine file read through {@link SpineFile}, with its time column. */
  private record FileSpine(SpineFile file, String timeColumn, Optional<java.time.ZoneId> zone)
      implements SpineInput {
    @Override
    public List<String> columns() {
      return file.columns().stream().map(SpineColumn::name).toList();
    }

    @Override
    public CloseableIterator<Object[]> open() {
      return file.rows();
    }

    @Override
    public long timeMillis(Object[] row) {
      int index = file.indexOf(timeColumn);
      ColumnType type = file.columns().get(index).type();
      try {
        return SpineFile.timeMillis(row[index], type, zone);
      } catch (LockstepException e) {
        throw new IllegalArgumentException("column '" + timeColumn + "': " + e.getMessage(), e);
      }
    }

    @Override
    public long estimatedRows() {
      return file.estimatedRows();
    }
  }
}
