package dev.lockstep.ops.parity;

import dev.lockstep.core.internal.SystemTables;
import dev.lockstep.core.online.FeatureLogSink;
import dev.lockstep.core.online.OnlineRuntime;

import dev.lockstep.core.internal.OfflineTables;

import dev.lockstep.api.LockstepException;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.core.Lockstep;
import dev.lockstep.spi.Capabilities;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.spi.offline.Schema;
import dev.lockstep.spi.offline.SupportsIdempotentAppends;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/**
 * Feature logging: keeps every vector served for chosen feature services in the offline table
 * {@code <service>__feature_log}, so that {@link Replay} can rebuild them and check the parity
 * invariant (docs/architecture.md, "Semantics"). Install it as the runtime's {@link OnlineRuntime#featureLog sink}; {@link
 * #start(Lockstep, OnlineRuntime, Set)} does.
 *
 * <p><b>The log table.</b> One row per served vector: event time = the vector's {@code t}, ingest
 * time = when the row was appended, sequence increasing per table; payload {@link #SCHEMA}: the
 * registry version served, the entity, values and statuses, and the request fields the service's
 * on-demand views read ({@code {}} when none was sent; null in rows logged before the column existed,
 * which replay does not compare on them), as JSON whose numbers read back
 * exactly (a {@code Long} as an integer, a {@code Double} as its shortest round-tripping decimal
 * with a {@code .} or exponent; {@code NaN} and infinities as bare tokens).
 *
 * <p><b>Buffering.</b> Serving threads only enqueue vectors, into a queue of {@link #CAPACITY}; a
 * writer thread appends the queue every {@link #INTERVAL_MILLIS} ms (sooner when it is half full),
 * one commit per service. When the queue is full a serving call waits up to {@link
 * #OFFER_TIMEOUT_MILLIS} ms in all, then drops what does not fit and counts it in {@link
 * #dropped()}. A failed append is retried with the same commit key, so no row is written twice; while
 * it fails, nothing more is taken from the queue.
 *
 * <p>Thread-safe.
 */
public final class FeatureLogger implements FeatureLogSink, BiConsumer<String, List<FeatureVector>>, AutoCloseable {
  /** The log table of service {@code s} is {@code s + TABLE_SUFFIX}. */
  public static final String TABLE_SUFFIX = SystemTables.FEATURE_LOG_SUFFIX;
  /** The payload columns of a log table. */
  public static final Schema SCHEMA = SystemTables.FEATURE_LOG_SCHEMA;
  /** Vectors buffered at most. */
  public static final int CAPACITY = 100_000;
  /** How long one serving call may wait in all for room in a full queue. */
  public static final long OFFER_TIMEOUT_MILLIS = 100;
  /** How often the writer appends the queue. */
  public static final long INTERVAL_MILLIS = 1_000;
  /** Rows per commit at most. */
  static final int APPEND_ROWS = 50_000;

  private record Queued(String service, FeatureVector vector, Map<String, Object> request) {}

  private record Append(String table, List<Row> rows, String commitKey) {}

  private final SupportsIdempotentAppends store;
  private final long registryVersion;
  private final Set<String> services;
  private final Clock clock;
  private final OnlineRuntime installedOn;
  private final String id = UUID.randomUUID().toString();
  private final ArrayBlockingQueue<Queued> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final Object writeLock = new Object();
  private final Map<String, Long> sequences = new HashMap<>();
  private final List<Append> unwritten = new ArrayList<>();
  private final AtomicLong logged = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final Thread writer;
  private long commits;
  private long lastIngestTime = Long.MIN_VALUE;
  private volatile RuntimeException failure;
  private volatile boolean closed;

  private FeatureLogger(OfflineStore store, long registryVersion, Set<String> services, Clock clock,
      OnlineRuntime installedOn) {
    this.store = Capabilities.require(store, SupportsIdempotentAppends.class, "idempotent appends");
    this.registryVersion = registryVersion;
    this.services = Set.copyOf(services);
    this.clock = clock;
    this.installedOn = installedOn;
    for (String service : this.services) {
      String table = table(service);
      OfflineTables.ensure(store, table, SCHEMA, "append to");
      sequences.put(table, this.store.highestSequence(table));
    }
    this.writer = new Thread(this::writeLoop, "lockstep-feature-log");
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * Logs every vector {@code runtime} serves for {@code services} from now on, into the offline
   * store of {@code lockstep}; installs itself as the runtime's feature-log sink (replacing any
   * other) until closed.
   *
   * @throws LockstepException if a service is not in the runtime's registry version, or a log
   *     table exists with other columns
   */
  public static FeatureLogger start(Lockstep lockstep, OnlineRuntime runtime, Set<String> services) {
    List<String> known = runtime.repository().featureServices().stream().map(FeatureService::name).toList();
    for (String service : services) {
      if (!known.contains(service)) {
        throw new LockstepException("Cannot log features of service '" + service + "': registry version "
            + runtime.registryVersion() + " has no such feature service (services: " + known + ")");
      }
    }
    FeatureLogger logger = new FeatureLogger(lockstep.offlineStore(), runtime.registryVersion(), services,
        Clock.systemUTC(), runtime);
    runtime.featureLog(logger);
    return logger;
  }

  /**
   * A logger into {@code store} of vectors served at {@code registryVersion}; install it with
   * {@code runtime.featureLog(logger)}.
   *
   * @throws dev.lockstep.spi.UnsupportedBackendOperationException if the store lacks idempotent
   *     appends
   * @throws LockstepException if a log table exists with other columns
   */
  public static FeatureLogger start(OfflineStore store, long registryVersion, Set<String> services) {
    return new FeatureLogger(store, registryVersion, services, Clock.systemUTC(), null);
  }

  /** The log table of {@code service}. */
  public static String table(String service) {
    return service + TABLE_SUFFIX;
  }

  /**
   * The vectors logged for {@code service} with {@code from <= t < to}, in no particular order.
   * Close the iterator.
   *
   * @throws dev.lockstep.spi.NotFoundException if nothing was ever logged for {@code service}
   * @throws dev.lockstep.api.CorruptDataException if a row is not a logged vector
   */
  public static CloseableIterator<LoggedVector> read(OfflineStore store, String service, Optional<Instant> from,
      Optional<Instant> to) {
    return read(store, table(service), ScanRequest.latest().withEventTimeRange(from.orElse(null), to.orElse(null)));
  }

  static CloseableIterator<LoggedVector> read(OfflineStore store, String table, ScanRequest request) {
    Schema schema = store.schema(table);
    int version = schema.position("registry_version");
    int entity = schema.position("entity");
    int t = schema.position("t");
    int vector = schema.position("vector");
    int statuses = schema.position("statuses");
    CloseableIterator<Row> rows = store.scan(table, request);
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public LoggedVector next() {
        Row row = rows.next();
        FeatureVector served = new FeatureVector(VectorJson.read((String) row.value(entity)),
            Instant.ofEpochMilli((Long) row.value(t)), VectorJson.read((String) row.value(vector)),
            VectorJson.readStatuses((String) row.value(statuses)));
        return new LoggedVector((Long) row.value(version), row.sequence(), Instant.ofEpochMilli(row.ingestTimeMillis()),
            served);
      }

      @Override
      public void close() {
        rows.close();
      }
    };
  }

  /** Enqueues the vectors of a logged service, served without request fields. */
  @Override
  public void accept(String service, List<FeatureVector> vectors) {
    log(service, vectors, Map.of());
  }

  /** Enqueues the vectors of a logged service; called by the runtime on serving threads. */
  @Override
  public void log(String service, List<FeatureVector> vectors, Map<String, Object> requestFields) {
    if (closed || !services.contains(service)) {
      return;
    }
    long deadline = 0;
    for (FeatureVector vector : vectors) {
      Queued queued = new Queued(service, vector, requestFields);
      if (queue.offer(queued)) {
        continue;
      }
      LockSupport.unpark(writer);
      if (deadline == 0) {
        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OFFER_TIMEOUT_MILLIS);
      }
      try {
        if (!queue.offer(queued, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          dropped.incrementAndGet();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        dropped.incrementAndGet();
      }
    }
    if (queue.size() > CAPACITY / 2) {
      LockSupport.unpark(writer);
    }
  }

  /**
   * Appends every vector enqueued before this call; returns when they are durable.
   *
   * @throws LockstepException if the offline store failed (the vectors stay buffered and are
   *     retried)
   */
  public void flush() {
    writeQueued();
  }

  /** The feature services logged. */
  public Set<String> services() {
    return services;
  }

  /** Vectors appended to the log tables so far. */
  public long logged() {
    return logged.get();
  }

  /** Vectors dropped because the queue stayed full. */
  public long dropped() {
    return dropped.get();
  }

  /** Vectors waiting to be appended. */
  public long buffered() {
    synchronized (writeLock) {
      return queue.size() + unwritten.stream().mapToLong(append -> append.rows().size()).sum();
    }
  }

  /** The last append failure of the writer thread, if the last append failed. */
  public Optional<RuntimeException> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Stops logging (uninstalling itself from the runtime it was started on) and appends what is
   * buffered.
   *
   * @throws LockstepException if that last append failed
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (installedOn != null) {
      installedOn.featureLog(FeatureLogSink.NONE);
    }
    closed = true;
    LockSupport.unpark(writer);
    try {
      writer.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writeQueued();
  }

  private void writeLoop() {
    while (!closed) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS));
      if (closed) {
        return;
      }
      try {
        writeQueued();
      } catch (RuntimeException e) {
        if (failure == null) {
          System.err.println("lockstep: " + e.getMessage());
        }
        failure = e;
      }
    }
  }

  /** Retries what failed before, then appends the queue, one commit per service and batch. */
  private void writeQueued() {
    synchronized (writeLock) {
      writeUnwritten();
      List<Queued> drained = new ArrayList<>(Math.min(queue.size(), CAPACITY));
      queue.drainTo(drained);
      if (drained.isEmpty()) {
        return;
      }
      Map<String, List<Queued>> byService = new LinkedHashMap<>();
      for (Queued queued : drained) {
        byService.computeIfAbsent(queued.service(), ignored -> new ArrayList<>()).add(queued);
      }
      long ingestTime = Math.max(clock.millis(), lastIngestTime);
      lastIngestTime = ingestTime;
      for (Map.Entry<String, List<Queued>> entry : byService.entrySet()) {
        String table = table(entry.getKey());
        long sequence = sequences.get(table);
        List<Row> rows = new ArrayList<>();
        for (Queued queued : entry.getValue()) {
          rows.add(row(queued, ingestTime, ++sequence));
          if (rows.size() == APPEND_ROWS) {
            unwritten.add(new Append(table, rows, "feature-log:" + id + ":" + ++commits));
            rows = new ArrayList<>();
          }
        }
        if (!rows.isEmpty()) {
          unwritten.add(new Append(table, rows, "feature-log:" + id + ":" + ++commits));
        }
        sequences.put(table, sequence);
      }
      writeUnwritten();
    }
  }

  private void writeUnwritten() {
    while (!unwritten.isEmpty()) {
      Append append = unwritten.get(0);
      try {
        store.append(append.table(), append.rows(), append.commitKey());
      } catch (RuntimeException e) {
        throw new LockstepException("Cannot append to the feature log " + append.table() + ": " + e.getMessage()
            + " (" + buffered() + " vectors stay buffered and are retried)", e);
      }
      unwritten.remove(0);
      logged.addAndGet(append.rows().size());
      failure = null;
    }
  }

  private Row row(Queued queued, long ingestTime, long sequence) {
    FeatureVector vector = queued.vector();
    long t = vector.t().toEpochMilli();
    return Row.of(t, ingestTime, sequence, registryVersion, VectorJson.write(vector.entity()), t,
        VectorJson.write(vector.values()), VectorJson.write(vector.statuses()),
        VectorJson.write(queued.request()));
  }
}
