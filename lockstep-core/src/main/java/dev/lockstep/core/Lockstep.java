package dev.lockstep.core;

import dev.lockstep.core.internal.OfflineTables;
import dev.lockstep.spi.offline.SupportsOrphanCleanup;
import dev.lockstep.io.IoReasons;
import dev.lockstep.api.client.UnknownNameException;
import dev.lockstep.api.LockstepException;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.Source;
import dev.lockstep.definition.LoadedRepository;
import dev.lockstep.definition.RepositoryLoader;
import dev.lockstep.core.ingest.IngestResult;
import dev.lockstep.core.ingest.Ingester;
import dev.lockstep.core.lineage.LineageEvents;
import dev.lockstep.core.lineage.LineageJobs;
import dev.lockstep.core.lineage.TrainingSets;
import dev.lockstep.core.online.materialize.MaterializeListener;
import dev.lockstep.core.online.materialize.MaterializeOptions;
import dev.lockstep.core.online.materialize.MaterializeResult;
import dev.lockstep.core.online.OnlineRuntime;
import dev.lockstep.core.quality.Breakers;
import dev.lockstep.spi.Capabilities;
import dev.lockstep.spi.offline.SupportsIdempotentAppends;
import dev.lockstep.registry.Plan;
import dev.lockstep.registry.Registry;
import dev.lockstep.registry.RegistryDocument;
import dev.lockstep.core.training.TrainingSetJob;
import dev.lockstep.core.training.TrainingSetListener;
import dev.lockstep.core.training.TrainingSetManifest;
import dev.lockstep.core.training.TrainingSetOptions;
import dev.lockstep.core.config.BackendSelection;
import dev.lockstep.core.config.ProjectConfig;
import dev.lockstep.spi.feed.FeedReader;
import dev.lockstep.spi.eventlog.EventLog;
import dev.lockstep.spi.online.OnlineStore;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.spi.registry.RegistryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A Lockstep project opened in this process: a feature repository directory (YAML definitions, and
 * on-demand feature jars in {@code lib/}) and its data directory ({@code .lockstep/} inside it by
 * default) holding the registry and the offline store. The Java API behind the {@code lockstep}
 * command.
 *
 * <pre>{@code
 * try (Lockstep lockstep = Lockstep.open(Path.of("examples/fraud"))) {
 *   lockstep.apply(lockstep.plan());
 *   lockstep.ingest("payments", Path.of("examples/fraud/data/payments.csv"));
 *   lockstep.trainingSet(TrainingSetOptions.forService("fraud_model", spine, Path.of("out")));
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Lockstep implements AutoCloseable {
  /** The data directory's name inside the repository, when none is given. */
  public static final String DEFAULT_DATA_DIRECTORY = ".lockstep";

  private final Path repository;
  private final Path dataDirectory;
  private final ProjectConfig config;
  private final OfflineStore offlineStore;
  private final Registry registry;
  private final ClassLoader classLoader;
  private final Clock clock;
  private final LineageEvents lineageEvents;
  private OnlineRuntime online;
  private Breakers breakers;

  private Lockstep(Path repository, Path dataDirectory, Clock clock) {
    this.repository = repository;
    this.dataDirectory = dataDirectory;
    this.clock = clock;
    if (!Files.isDirectory(repository)) {
      throw new LockstepException("Cannot open feature repository '" + repository + "': "
          + (Files.exists(repository) ? "it is not a directory" : "there is no such directory")
          + " (point -C at your repository, or create one with lockstep init DIR)");
    }
    this.classLoader = libraryClassLoader(repository);
    try {
      Files.createDirectories(dataDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create data directory " + dataDirectory + ": " + IoReasons.of(e), e);
    }
    this.config = ProjectConfig.load(repository, dataDirectory, System.getenv());
    this.offlineStore = config.offline().load(OfflineStore.class);
    RegistryStore store;
    try {
      store = config.registry().load(RegistryStore.class);
    } catch (RuntimeException e) {
      offlineStore.close();
      throw e;
    }
    this.registry = new Registry(store);
    this.lineageEvents = LineageEvents.open(config.lineage(), System.err);
  }

  /** Opens the project in {@code repository}, with its data in {@code repository/.lockstep}. */
  public static Lockstep open(Path repository) {
    return open(repository, repository.resolve(DEFAULT_DATA_DIRECTORY));
  }

  /** Opens the project in {@code repository}, with its data in {@code dataDirectory}. */
  public static Lockstep open(Path repository, Path dataDirectory) {
    return new Lockstep(
        repository.toAbsolutePath().normalize(),
        dataDirectory.toAbsolutePath().normalize(),
        Clock.systemUTC());
  }

  public Path repository() {
    return repository;
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  /** The backends {@code lockstep.yaml} selects (embedded ones by default). */
  public ProjectConfig config() {
    return config;
  }

  public OfflineStore offlineStore() {
    return offlineStore;
  }

  public Registry registry() {
    return registry;
  }

  /** The class loader for on-demand feature classes: this one plus the repository's lib/*.jar. */
  public ClassLoader classLoader() {
    return classLoader;
  }

  /**
   * Reads and validates the repository's YAML definitions.
   *
   * @throws dev.lockstep.definition.DefinitionErrors listing every problem with file and line
   */
  public LoadedRepository definitions() {
    return RepositoryLoader.load(repository, classLoader);
  }

  /** The difference between the repository's definitions and the registry. */
  public Plan plan() {
    return registry.plan(definitions().repository());
  }

  /**
   * Commits {@code plan} as the next registry version.
   *
   * @return the committed registry version
   */
  public long apply(Plan plan) {
    RegistryDocument applied = registry.apply(plan);
    // additive source changes reach the offline tables now, not at the next ingest
    for (Source source : applied.repository().sources()) {
      if (offlineStore.tables().contains(source.name())) {
        OfflineTables.evolve(offlineStore, source.name(), OfflineTables.tableSchema(source), "change the columns of");
      }
    }
    return applied.version();
  }

  /** The applied definitions, from the newest registry version. */
  public RegistryDocument applied() {
    return registry
        .current()
        .orElseThrow(
            () ->
                new LockstepException(
                    "Cannot use the registry: nothing is applied yet (run lockstep apply first)"));
  }

  /**
   * Ingests {@code file} into the offline table of source {@code source}, as applied.
   *
   * @throws LockstepException if the source is not in the applied registry
   */
  public IngestResult ingest(String source, Path file) {
    Source definition = appliedSource(source);
    return lineageEvents.run(LineageJobs.ingestJob(source), "INGEST", LineageJobs.ingestInputs(definition, file),
        LineageJobs.ingestOutputs(lineageEvents.namespace(), definition),
        () -> new Ingester(offlineStore, clock, breakers())
            .ingest(definition, applied().repository().contract(source), file));
  }

  /**
   * The circuit breakers of the applied sources, shared by batch ingests and the online half of
   * this process.
   *
   * @throws LockstepException if nothing is applied
   */
  public synchronized Breakers breakers() {
    if (breakers == null) {
      breakers = new Breakers(Capabilities.require(offlineStore, SupportsIdempotentAppends.class,
          "idempotent appends"), applied().repository(), clock);
    }
    return breakers;
  }

  /**
   * Loads the online store from the offline tables ({@link OnlineRuntime#materialize}), with
   * OpenLineage run events when {@code lockstep.yaml} asks for them.
   */
  public MaterializeResult materialize(MaterializeOptions options, MaterializeListener listener) {
    OnlineRuntime runtime = online();
    String namespace = lineageEvents.namespace();
    return lineageEvents.run(LineageJobs.MATERIALIZE_JOB, "MATERIALIZE",
        LineageJobs.materializeInputs(namespace, runtime.repository()),
        LineageJobs.materializeOutputs(namespace, runtime.repository()),
        () -> runtime.materialize(options, listener));
  }

  /** Where OpenLineage run events go, as {@code lockstep.yaml}'s {@code lineage} says (maybe nowhere). */
  /**
   * The lineage graph of the newest registry version and the training sets recorded in the
   * offline store.
   *
   * @throws LockstepException if nothing is applied yet
   */
  public dev.lockstep.core.lineage.LineageGraph lineage() {
    RegistryDocument document = applied();
    return dev.lockstep.core.lineage.LineageGraph.of(document.repository(), document.version(),
        TrainingSets.list(offlineStore));
  }

  public LineageEvents lineageEvents() {
    return lineageEvents;
  }

  /** The applied definition of {@code name}. */
  public Source appliedSource(String name) {
    FeatureRepository applied = applied().repository();
    return applied
        .source(name)
        .orElseThrow(
            () ->
                new UnknownNameException(
                    "Cannot find source '"
                        + name
                        + "' in the registry (sources: "
                        + applied.sources().stream().map(Source::name).toList()
                        + "; add it to the repository and run lockstep apply)"));
  }

  /**
   * Deletes (or with {@code dryRun} only lists) the data files of every offline table that no
   * snapshot references and that were last written more than {@code olderThan} ago: files a
   * process killed mid-append left behind. A younger file may belong to an append in progress, so
   * a bound under the longest append (minutes for big ingests) is only safe while nothing writes.
   *
   * @return per table, the files found, in name order; tables without any are left out
   * @throws dev.lockstep.spi.UnsupportedBackendOperationException if the offline store cannot
   */
  public Map<String, List<String>> cleanOrphanFiles(java.time.Duration olderThan, boolean dryRun) {
    SupportsOrphanCleanup store = Capabilities.require(offlineStore, SupportsOrphanCleanup.class, "orphan cleanup");
    java.time.Instant bound = clock.instant().minus(olderThan);
    Map<String, List<String>> found = new java.util.TreeMap<>();
    for (String table : store.tables()) {
      List<String> files = store.removeOrphanFiles(table, bound, dryRun);
      if (!files.isEmpty()) {
        found.put(table, files);
      }
    }
    return found;
  }

  /**
   * Builds a training set from the newest registry version, and records it for lineage ({@link
   * TrainingSets}).
   */
  public TrainingSetManifest trainingSet(TrainingSetOptions options, TrainingSetListener listener) {
    RegistryDocument document = applied();
    return lineageEvents.run(LineageJobs.trainingSetJob(options.service()), "TRAINING_SET",
        LineageJobs.trainingSetInputs(lineageEvents.namespace(), document.repository(), options),
        LineageJobs.trainingSetOutputs(options),
        () -> recorded(job().run(document.repository(), document.version(), options, listener), options.output()));
  }

  private TrainingSetManifest recorded(TrainingSetManifest manifest, Path output) {
    TrainingSets.record(offlineStore, manifest, output, clock);
    return manifest;
  }

  /**
   * Builds the training set {@code manifest} describes again, into {@code output}: the same
   * registry version, snapshots, spine and mode, so the same bytes.
   *
   * @throws LockstepException if that registry version is gone or the spine file changed
   */
  public TrainingSetManifest rebuild(
      TrainingSetManifest manifest, Path output, TrainingSetListener listener) {
    RegistryDocument document =
        registry
            .version(manifest.registryVersion())
            .orElseThrow(
                () ->
                    new LockstepException(
                        "Cannot rebuild the training set: registry version "
                            + manifest.registryVersion()
                            + " is not in this project's registry"));
    return recorded(job().rebuild(document.repository(), manifest, output, listener), output);
  }

  /**
   * The online half, opened on first use from the newest registry version, on the online store and
   * event log {@code lockstep.yaml} selects (by default RocksDB in {@code online/} and the local log
   * in {@code log/} of the data directory, which one process can hold at a time); streaming starts
   * with {@link OnlineRuntime#startStreaming()}, and {@link #followStreams} follows the feeds the
   * file configures.
   *
   * @throws LockstepException if nothing is applied, or the online store or log cannot be opened
   */
  public synchronized OnlineRuntime online() {
    if (online == null) {
      RegistryDocument document = applied();
      OnlineStore store = config.online().load(OnlineStore.class);
      EventLog log;
      try {
        log = config.eventLog().load(EventLog.class);
      } catch (RuntimeException e) {
        store.close();
        throw e;
      }
      online = new OnlineRuntime(document.repository(), document.version(), store, log, offlineStore,
          classLoader, clock, breakers(), config.limits());
      // events logged before a source gained a column still decode
      online.readEventsOf(registry.history().stream().flatMap(version -> version.repository().sources().stream())
          .toList());
    }
    return online;
  }

  /**
   * Follows every feed {@code lockstep.yaml} lists under {@code streams} (a Kafka topic per source)
   * into the running online half.
   *
   * @return the sources followed
   * @throws LockstepException if a feed names a source that is not applied, or cannot be opened
   */
  public List<String> followStreams() {
    OnlineRuntime runtime = online();
    List<String> followed = new ArrayList<>();
    for (Map.Entry<String, BackendSelection> feed : config.streams().entrySet()) {
      String source = feed.getKey();
      if (applied().repository().source(source).isEmpty()) {
        throw new LockstepException("Cannot follow streams." + source + " of " + ProjectConfig.FILE
            + ": there is no source '" + source + "' in the registry (fix the name or apply the source)");
      }
      runtime.follow(source, feed.getValue().load(FeedReader.class));
      followed.add(source);
    }
    return followed;
  }

  private TrainingSetJob job() {
    return new TrainingSetJob(offlineStore, dataDirectory.resolve("tmp"), classLoader, clock);
  }

  private static ClassLoader libraryClassLoader(Path repository) {
    ClassLoader parent = Lockstep.class.getClassLoader();
    Path lib = repository.resolve("lib");
    if (!Files.isDirectory(lib)) {
      return parent;
    }
    List<URL> jars = new ArrayList<>();
    try (Stream<Path> files = Files.list(lib)) {
      for (Path jar : files.filter(path -> path.toString().endsWith(".jar")).sorted().toList()) {
        jars.add(jar.toUri().toURL());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + lib, e);
    }
    return jars.isEmpty() ? parent : new URLClassLoader(jars.toArray(URL[]::new), parent);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (online != null) {
        online.close();
        online = null;
      }
    }
    lineageEvents.close();
    Objects.requireNonNull(offlineStore).close();
    registry.close();
  }
}
