package dev.lockstep.ops.parity;

import dev.lockstep.core.online.OnlineRuntime;

import dev.lockstep.api.LockstepException;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.FeatureReference;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.OnDemandFeatureView;
import dev.lockstep.api.definition.SourceColumn;
import dev.lockstep.core.Lockstep;
import dev.lockstep.registry.RegistryDocument;
import dev.lockstep.core.training.SpineInput;
import dev.lockstep.core.training.TrainingSetBuilder;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.LookaheadIterator;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Checks the parity invariant (docs/architecture.md, "Semantics") over a feature log: rebuilds every vector logged for a
 * service offline, in {@code AS_OF_INGEST} mode at the vector's {@code t}, and compares each value
 * exactly with what was served.
 *
 * <p>Algorithm: the log table is read at its current snapshot. For each registry version the
 * vectors were served at, the training set of the service is built from the definitions of that
 * version, over a spine with one row per logged vector, in the log's order: the entity's join keys,
 * {@code t}, and the logged vector itself as pass-through columns. Each output row thus carries the
 * served values next to the rebuilt ones, so the comparison streams in bounded memory. Values
 * compare exactly: {@code Long}s equal, {@code Double}s bit for bit, strings and lists element by
 * element, null only to null. Statuses are not compared: a value is a value.
 *
 * <p>The offline tables must hold every event ingested before the logged vectors were served:
 * flush the online runtime first ({@link OnlineRuntime#flushOffline()}; {@code lockstep replay}
 * does).
 */
public final class Replay {
  private static final String T = "lockstep.replay.t";
  private static final String SEQUENCE = "lockstep.replay.sequence";
  private static final String ENTITY = "lockstep.replay.entity";
  private static final String VECTOR = "lockstep.replay.vector";
  private static final String REQUEST = "lockstep.replay.request";

  private Replay() {}

  /**
   * Rebuilds every vector logged for {@code service} with {@code from <= t < to} in {@code
   * AS_OF_INGEST} mode and compares them with what was served.
   *
   * @throws LockstepException if nothing was ever logged for the service, or the registry no longer
   *     holds a version vectors were served at
   */
  public static ReplayReport replay(Lockstep lockstep, String service, Optional<Instant> from, Optional<Instant> to) {
    return replay(lockstep, service, from, to, PointInTimeMode.AS_OF_INGEST);
  }

  /**
   * As {@link #replay(Lockstep, String, Optional, Optional)}, rebuilding in {@code mode}; {@code
   * EVENT_TIME} shows how late events changed the values a model would be trained on.
   */
  public static ReplayReport replay(Lockstep lockstep, String service, Optional<Instant> from, Optional<Instant> to,
      PointInTimeMode mode) {
    return replay(lockstep, service, OptionalLong.empty(), from, to, 0, mode);
  }

  /**
   * As {@link #replay(Lockstep, String, Optional, Optional)} in {@code AS_OF_INGEST} mode, then
   * records the result in {@link ParityChecks#TABLE} as checked by {@link ParityChecks#BY_REPLAY}
   * ({@code lockstep replay} does).
   *
   * @throws LockstepException as {@code replay}, or if the result cannot be recorded
   */
  public static ReplayReport check(Lockstep lockstep, String service, Optional<Instant> from, Optional<Instant> to) {
    ReplayReport report = replay(lockstep, service, from, to);
    ParityChecks.record(lockstep.offlineStore(), ParityCheck.of(report, ParityChecks.BY_REPLAY,
        Instant.ofEpochMilli(System.currentTimeMillis())),
        "replay:" + java.util.UUID.randomUUID());
    return report;
  }

  /**
   * Replays the vectors of {@code snapshot} of the log (the current one if empty) with {@code from
   * <= t < to} and a sequence above {@code afterSequence}.
   */
  static ReplayReport replay(Lockstep lockstep, String service, OptionalLong snapshot, Optional<Instant> from,
      Optional<Instant> to, long afterSequence, PointInTimeMode mode) {
    OfflineStore store = lockstep.offlineStore();
    String table = FeatureLogger.table(service);
    if (!store.tables().contains(table)) {
      throw new LockstepException("Cannot replay service '" + service + "': nothing was logged for it (serve it with"
          + " lockstep serve --log-features " + service + ")");
    }
    ReplayComparison comparison = new ReplayComparison();
    OptionalLong snapshotId = snapshot.isPresent() ? snapshot
        : store.currentSnapshot(table).map(current -> OptionalLong.of(current.id())).orElse(OptionalLong.empty());
    if (snapshotId.isEmpty()) {
      return comparison.report(service, mode, List.of());
    }
    ScanRequest request = ScanRequest.atSnapshot(snapshotId.getAsLong())
        .withEventTimeRange(from.orElse(null), to.orElse(null));
    Selected selected = select(store, table, request, afterSequence);
    if (selected.versions().isEmpty()) {
      return comparison.report(service, mode, List.of());
    }
    // narrow the scans to the times selected: the log is pruned by event time (= t), not by sequence
    request = request.withEventTimeRange(Instant.ofEpochMilli(selected.firstT()),
        Instant.ofEpochMilli(selected.lastT() + 1));
    SortedMap<Long, Long> versions = selected.versions();
    for (var version : versions.entrySet()) {
      RegistryDocument document = lockstep.registry().version(version.getKey()).orElseThrow(() ->
          new LockstepException("Cannot replay service '" + service + "': " + version.getValue()
              + " vectors were served at registry version " + version.getKey()
              + ", which is not in this project's registry"));
      FeatureRepository repository = document.repository();
      FeatureService definition = repository.featureService(service).orElseThrow(() ->
          new LockstepException("Cannot replay service '" + service + "': registry version " + version.getKey()
              + " has no such feature service"));
      Set<String> skipped = onDemandWithRequestFields(repository, definition);
      LogSpine spine = new LogSpine(store, table, request, afterSequence, version.getKey(), version.getValue(),
          spineKeys(repository, definition));
      TrainingSetBuilder.forService(store, repository, service)
          .mode(mode)
          .workDirectory(lockstep.dataDirectory().resolve("tmp"))
          .classLoader(lockstep.classLoader())
          .build(spine, (part, columns) -> comparison.sink(columns, onDemandOutputs(repository, definition), skipped, spine.columns().indexOf(SEQUENCE),
              spine.columns().indexOf(T), spine.columns().indexOf(ENTITY), spine.columns().indexOf(VECTOR),
              spine.columns().indexOf(REQUEST)));
    }
    return comparison.report(service, mode, List.copyOf(versions.keySet()));
  }

  /** The logged vectors a replay selects: how many per registry version, and their times. */
  private record Selected(SortedMap<Long, Long> versions, long firstT, long lastT) {}

  private static Selected select(OfflineStore store, String table, ScanRequest request, long afterSequence) {
    SortedMap<Long, Long> versions = new TreeMap<>();
    long firstT = Long.MAX_VALUE;
    long lastT = Long.MIN_VALUE;
    try (CloseableIterator<Row> rows = store.scan(table, request.withColumns(List.of("registry_version")))) {
      while (rows.hasNext()) {
        Row row = rows.next();
        if (row.sequence() <= afterSequence) {
          continue;
        }
        versions.merge((Long) row.value(0), 1L, Long::sum);
        firstT = Math.min(firstT, row.eventTimeMillis());
        lastT = Math.max(lastT, row.eventTimeMillis());
      }
    }
    return new Selected(versions, firstT, lastT);
  }

  /** The outputs of the service's on-demand views, by column. */
  private static Set<String> onDemandOutputs(FeatureRepository repository, FeatureService service) {
    Set<String> columns = new LinkedHashSet<>();
    for (FeatureReference reference : service.features()) {
      if (repository.onDemandView(reference.view()).isPresent()) {
        columns.add(reference.columnName());
      }
    }
    return columns;
  }

  /**
   * The outputs of the service's on-demand views that read request fields, by column: compared only
   * on vectors logged with their request fields.
   */
  private static Set<String> onDemandWithRequestFields(FeatureRepository repository, FeatureService service) {
    Set<String> columns = new LinkedHashSet<>();
    for (FeatureReference reference : service.features()) {
      Optional<OnDemandFeatureView> view = repository.onDemandView(reference.view());
      if (view.isPresent() && !view.get().requestFields().isEmpty()) {
        columns.add(reference.columnName());
      }
    }
    return columns;
  }

  /**
   * The spine columns before the logged vector: every join key, then the request fields of the
   * service's on-demand views, as the request sent them (kept by the log).
   */
  private static List<String> spineKeys(FeatureRepository repository, FeatureService service) {
    Set<String> columns = new LinkedHashSet<>();
    for (Entity entity : repository.entities()) {
      columns.addAll(entity.joinKeys());
    }
    for (FeatureReference reference : service.features()) {
      repository.onDemandView(reference.view()).ifPresent(view -> {
        for (SourceColumn field : view.requestFields()) {
          columns.add(field.name());
        }
      });
    }
    return List.copyOf(columns);
  }

  /** One spine row per vector logged at one registry version, read from the log in one pass. */
  private static final class LogSpine implements SpineInput {
    private final OfflineStore store;
    private final String table;
    private final ScanRequest request;
    private final long afterSequence;
    private final long registryVersion;
    private final long rows;
    private final List<String> keys;
    private final List<String> columns;

    LogSpine(OfflineStore store, String table, ScanRequest request, long afterSequence, long registryVersion,
        long rows, List<String> keys) {
      this.store = store;
      this.table = table;
      this.request = request;
      this.afterSequence = afterSequence;
      this.registryVersion = registryVersion;
      this.rows = rows;
      this.keys = keys;
      List<String> all = new ArrayList<>(keys);
      all.addAll(List.of(T, SEQUENCE, ENTITY, VECTOR, REQUEST));
      this.columns = List.copyOf(all);
    }

    @Override
    public List<String> columns() {
      return columns;
    }

    @Override
    public CloseableIterator<Object[]> open() {
      CloseableIterator<Row> logged = store.scan(table, request);
      var schema = store.schema(table);
      int version = schema.position("registry_version");
      int entity = schema.position("entity");
      int t = schema.position("t");
      int vector = schema.position("vector");
      int request = schema.columns().stream().anyMatch(column -> column.name().equals("request"))
          ? schema.position("request") : -1;
      int width = keys.size();
      return new LookaheadIterator<>() {
        @Override
        protected Object[] computeNext() {
          while (logged.hasNext()) {
            Row row = logged.next();
            if ((Long) row.value(version) != registryVersion || row.sequence() <= afterSequence) {
              continue;
            }
            Object[] spineRow = new Object[width + 5];
            var entityValues = VectorJson.read((String) row.value(entity));
            String requestJson = request < 0 ? null : (String) row.value(request);
            var requestValues = requestJson == null ? java.util.Map.<String, Object>of() : VectorJson.read(requestJson);
            for (int i = 0; i < width; i++) {
              Object key = entityValues.get(keys.get(i));
              spineRow[i] = key != null ? key : requestValues.get(keys.get(i));
            }
            spineRow[width] = row.value(t);
            spineRow[width + 1] = row.sequence();
            spineRow[width + 2] = row.value(entity);
            spineRow[width + 3] = row.value(vector);
            spineRow[width + 4] = requestJson;
            return spineRow;
          }
          return null;
        }

        @Override
        public void close() {
          logged.close();
        }
      };
    }

    @Override
    public long timeMillis(Object[] row) {
      return (Long) row[keys.size()];
    }

    @Override
    public long estimatedRows() {
      return rows;
    }
  }
}
