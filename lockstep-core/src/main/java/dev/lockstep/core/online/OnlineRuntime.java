package dev.lockstep.core.online;

import dev.lockstep.core.online.materialize.MaterializeListener;
import dev.lockstep.core.online.materialize.MaterializeOptions;
import dev.lockstep.core.online.materialize.MaterializeResult;
import dev.lockstep.core.online.materialize.Materializer;
import dev.lockstep.core.online.serving.OnlineFetcher;
import dev.lockstep.core.online.state.MonotonicClock;
import dev.lockstep.core.online.state.OnlineMetrics;
import dev.lockstep.core.online.state.StateCache;
import dev.lockstep.core.online.state.ViewLayout;
import dev.lockstep.core.online.stream.FeedFollower;
import dev.lockstep.core.online.stream.FileTailer;
import dev.lockstep.core.online.stream.SourceStream;

import dev.lockstep.api.LockstepException;
import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.Source;
import dev.lockstep.core.quality.Breakers;
import dev.lockstep.core.quality.ContractGate;
import dev.lockstep.spi.Capabilities;
import dev.lockstep.spi.eventlog.EventLog;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.spi.offline.SupportsIdempotentAppends;
import dev.lockstep.spi.online.OnlineStore;
import dev.lockstep.spi.online.SupportsAtomicCheckpoint;
import dev.lockstep.core.config.LimitsConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The online half of a Lockstep project in this process: the online store, the event log, one
 * {@link SourceStream} per source, and the embedded {@link FeatureClient}. Built from one applied
 * registry version; apply a new version and reopen to serve it.
 *
 * <p>Thread-safe.
 */
public final class OnlineRuntime implements AutoCloseable {
  /**
   * Decoded view states kept in memory, by default; the system property {@value
   * #CACHE_CAPACITY_PROPERTY} overrides it (0 turns the cache off, so every read goes to the store).
   */
  static final int CACHE_CAPACITY = 50_000;
  /** The encoded bytes of the decoded states kept for readers, at most (decoded, several times more). */
  static final long CACHE_BYTES = 64L << 20;
  /** How often a streaming runtime re-reads the circuit breakers' table. */
  static final long BREAKER_REFRESH_MILLIS = 1_000;

  /** The system property that sets how many decoded view states are kept in memory. */
  public static final String CACHE_CAPACITY_PROPERTY = "lockstep.state-cache";

  private final FeatureRepository repository;
  private final long registryVersion;
  private final SupportsAtomicCheckpoint store;
  private final EventLog log;
  private final SupportsIdempotentAppends offline;
  private final MonotonicClock clock;
  private final LimitsConfig limits;
  private final StateCache cache;
  private final WriterLease lease;
  private final OnlineMetrics metrics = new OnlineMetrics();
  private final Breakers breakers;
  private Thread breakerWatch;
  private final Map<String, ViewLayout> layouts = new LinkedHashMap<>();
  private final Map<String, SourceStream> streams = new LinkedHashMap<>();
  private final OnlineFetcher fetcher;
  private volatile FeatureLogSink featureLog = FeatureLogSink.NONE;
  private final List<BiConsumer<String, List<FeatureVector>>> servedListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean streaming;
  private final List<FileTailer> tailers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<FeedFollower> followers = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * @param repository the applied definitions
   * @param registryVersion their registry version
   * @param store the online store; it must write state and checkpoints atomically
   * @param log the event log streamed events are made durable in
   * @param offline the offline store streamed events are appended to
   */
  public OnlineRuntime(FeatureRepository repository, long registryVersion, OnlineStore store, EventLog log,
      OfflineStore offline, ClassLoader loader, Clock clock) {
    this(repository, registryVersion, store, log, offline, loader, clock, null, LimitsConfig.defaults());
  }

  /**
   * @param breakers the project's circuit breakers (shared with batch ingests), or null for none:
   *     then the sources' contracts still judge every event, but nothing trips
   * @param limits per source, how many acknowledged events may wait to be applied and how far the
   *     applier may trail before pushes are refused ({@link
   *     dev.lockstep.api.client.ServiceUnavailableException})
   */
  public OnlineRuntime(FeatureRepository repository, long registryVersion, OnlineStore store, EventLog log,
      OfflineStore offline, ClassLoader loader, Clock clock, Breakers breakers, LimitsConfig limits) {
    this.breakers = breakers;
    this.limits = limits;
    this.repository = repository;
    this.registryVersion = registryVersion;
    this.store = Capabilities.require(store, SupportsAtomicCheckpoint.class, "atomic checkpoints");
    this.log = log;
    this.offline = Capabilities.require(offline, SupportsIdempotentAppends.class, "idempotent appends");
    this.clock = new MonotonicClock(clock);
    this.lease = new WriterLease(store);
    this.cache = new StateCache(store, Integer.getInteger(CACHE_CAPACITY_PROPERTY, CACHE_CAPACITY), CACHE_BYTES);
    for (FeatureView view : repository.featureViews()) {
      Source source = repository.source(view.source()).orElseThrow();
      layouts.put(view.name(), ViewLayout.of(view, source));
    }
    for (Source source : repository.sources()) {
      List<ViewLayout> views = new ArrayList<>();
      for (ViewLayout layout : layouts.values()) {
        if (layout.source().name().equals(source.name())) {
          views.add(layout);
        }
      }
      streams.put(source.name(), new SourceStream(source, views, log, this.store, this.offline, cache, this.clock,
          metrics, ContractGate.of(source, repository.contract(source.name())), breakers, limits));
    }
    this.fetcher = new OnlineFetcher(new RuntimeServingContext(this), repository, layouts, loader);
  }

  /**
   * Lets the streams read the events they logged under {@code earlier} declarations of their
   * sources (the registry's history: a source that gained a column since). Call before {@link
   * #startStreaming}; declarations of other sources are ignored.
   */
  public void readEventsOf(java.util.Collection<Source> earlier) {
    for (SourceStream stream : streams.values()) {
      stream.readEventsOf(earlier.stream().filter(source -> source.name().equals(stream.source().name())).toList());
    }
  }

  /** The embedded client: reads this process's online store; pushes need {@link #startStreaming}. */
  public FeatureClient client() {
    return fetcher;
  }

  /** Starts the committer, applier and offline appender of every source. */
  public synchronized void startStreaming() {
    if (!streaming) {
      lease.acquire("start streaming");
      lease.keep(reason -> streams.values().forEach(stream -> stream.fence(reason)));
      streams.values().forEach(SourceStream::start);
      streaming = true;
      if (breakers != null) {
        breakerWatch = watchBreakers();
      }
    }
  }

  /**
   * Waits until every event durable in the log when this is called is in the online state (with
   * streaming running).
   *
   * @throws LockstepException if that takes longer than {@code timeout}, or the applier failed
   */
  public void awaitApplied(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (SourceStream stream : streams.values()) {
      long target = log.endPositions(stream.source().name()).get(0).offset();
      while (stream.appliedOffset() < target) {
        if (stream.failure() != null) {
          throw new LockstepException("Cannot apply events of source '" + stream.source().name() + "': "
              + stream.failure());
        }
        if (System.nanoTime() > deadline) {
          throw new LockstepException("Cannot wait for events of source '" + stream.source().name()
              + "' to be applied: still behind after " + timeout + (streaming ? "" : " (streaming is not running)"));
        }
        Thread.onSpinWait();
      }
    }
  }

  /** Appends every event in the log that the offline tables do not have yet; returns how many. */
  public long flushOffline() {
    long rows = 0;
    for (SourceStream stream : streams.values()) {
      rows += stream.appendOffline();
    }
    return rows;
  }

  /**
   * Follows {@code file}, a growing file of JSON lines, into {@code source}'s stream (exactly once
   * across restarts). Streaming must be running.
   *
   * @throws LockstepException if streaming is not running
   */
  public synchronized void tail(String source, java.nio.file.Path file) {
    if (!streaming) {
      throw new LockstepException("Cannot tail " + file + ": streaming is not running (start it first)");
    }
    FileTailer tailer = new FileTailer(stream(source), file, log, store);
    tailer.start();
    tailers.add(tailer);
  }

  /**
   * Follows {@code reader}, an external feed of JSON records such as a Kafka topic, into {@code
   * source}'s stream, exactly once across restarts; records that cannot be read go to quarantine.
   * Streaming must be running. The runtime closes the reader.
   *
   * @throws LockstepException if streaming is not running or there is no such source
   */
  public synchronized void follow(String source, dev.lockstep.spi.feed.FeedReader reader) {
    if (!streaming) {
      reader.close();
      throw new LockstepException("Cannot follow a feed into source '" + source
          + "': streaming is not running (start it first)");
    }
    SourceStream target;
    try {
      target = stream(source);
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
    FeedFollower follower = new FeedFollower(target, reader, log, store);
    follower.start();
    followers.add(follower);
  }

  /**
   * Rebuilds the online state of every source that has feature views from its offline table
   * ({@code lockstep materialize}): the views are cleared and loaded from the table's current
   * snapshot, and the applier resumes after the stream's events the snapshot holds. A run that
   * stopped part-way continues where it stopped when the snapshot has not changed.
   *
   * @throws LockstepException if streaming runs in this process
   * @throws dev.lockstep.spi.UnsupportedBackendOperationException if the offline store cannot scan
   *     in batches or the online store cannot drop views
   */
  public synchronized MaterializeResult materialize(MaterializeOptions options, MaterializeListener listener) {
    if (streaming) {
      throw new LockstepException("Cannot materialize while streaming runs in this process (stop lockstep serve first)");
    }
    lease.acquire("materialize");
    lease.keep(reason -> System.err.println("lockstep: " + reason));
    Materializer materializer = new Materializer(store, log, offline, options, listener);
    List<MaterializeResult.SourceResult> results = new ArrayList<>();
    for (SourceStream stream : List.copyOf(streams.values())) {
      if (stream.views().isEmpty()) {
        continue;
      }
      try {
        results.add(materializer.materialize(stream.source(), stream.views()));
      } finally {
        stream.views().forEach(layout -> cache.invalidate(layout.view().name()));
      }
      // a new stream reads the applier checkpoint just written
      streams.put(stream.source().name(), new SourceStream(stream.source(), stream.views(), log, store, offline,
          cache, clock, metrics, ContractGate.of(stream.source(), repository.contract(stream.source().name())),
          breakers, limits));
    }
    return new MaterializeResult(results);
  }

  /**
   * Also calls {@code listener} with every vector served for a feature service (drift monitoring);
   * it runs on the serving thread, so it must only hand the vectors off.
   */
  public void onServed(BiConsumer<String, List<FeatureVector>> listener) {
    servedListeners.add(listener);
  }

  /** Calls {@code sink} with every vector served for a feature service (feature logging). */
  public void featureLog(FeatureLogSink sink) {
    this.featureLog = sink;
  }

  public OnlineMetrics metrics() {
    return metrics;
  }

  /** The registry version served. */
  public long registryVersion() {
    return registryVersion;
  }

  public FeatureRepository repository() {
    return repository;
  }

  /** Per source: its watermark and counters, for status and health. */
  public Map<String, Object> status() {
    Map<String, Object> status = new TreeMap<>();
    Map<String, Map<String, Long>> counters = metrics.sources();
    for (SourceStream stream : streams.values()) {
      Map<String, Object> source = new LinkedHashMap<>();
      source.put("streaming", stream.live());
      long watermark = stream.watermark();
      source.put("watermark", watermark == Long.MIN_VALUE ? null : java.time.Instant.ofEpochMilli(watermark).toString());
      source.put("failure", stream.failure() == null ? null : stream.failure().toString());
      source.putAll(counters.getOrDefault(stream.source().name(), Map.of()));
      source.put("quality", stream.quality().toMap());
      status.put(stream.source().name(), source);
    }
    return status;
  }

  /**
   * Re-reads the breaker table every {@value #BREAKER_REFRESH_MILLIS} ms while streaming, so a
   * breaker reset by another process ({@code lockstep breaker reset}) resumes this one's streams.
   */
  private Thread watchBreakers() {
    Thread thread = new Thread(() -> {
      while (streaming) {
        try {
          Thread.sleep(BREAKER_REFRESH_MILLIS);
          breakers.refresh();
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          System.err.println("lockstep: cannot read the circuit breakers (" + e.getMessage() + "); retrying");
        }
      }
    }, "lockstep-breakers");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** The circuit breakers this runtime obeys, if any. */
  public Optional<Breakers> breakers() {
    return Optional.ofNullable(breakers);
  }

  /**
   * Per feature view, how fresh its online state is at {@code now}: the newest event time applied
   * by this process ({@code newest_event}; null until one is applied after start), the freshness
   * lag {@code now - newest_event} in milliseconds, the source's watermark, the view's declared
   * freshness bound and whether it is exceeded ({@code stale}).
   */
  public Map<String, Map<String, Object>> freshness(long now) {
    Map<String, Map<String, Object>> views = new TreeMap<>();
    for (ViewLayout layout : layouts.values()) {
      SourceStream stream = streams.get(layout.source().name());
      long newest = newestApplied(layout.view().name());
      long watermark = stream.watermark();
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("source", layout.source().name());
      view.put("newest_event", newest == Long.MIN_VALUE ? null : java.time.Instant.ofEpochMilli(newest).toString());
      view.put("freshness_lag_ms", newest == Long.MIN_VALUE ? null : now - newest);
      view.put("watermark", watermark == Long.MIN_VALUE ? null : java.time.Instant.ofEpochMilli(watermark).toString());
      view.put("freshness_bound_ms", layout.freshnessMillis() < 0 ? null : layout.freshnessMillis());
      view.put("stale", stale(layout, now));
      view.put("paused", stream.paused());
      views.put(layout.view().name(), view);
    }
    return views;
  }

  /**
   * The newest event time applied to {@code view}'s state (see {@link #freshness}), or {@code
   * Long.MIN_VALUE} if unknown.
   */
  public long newestApplied(String view) {
    ViewLayout layout = layouts.get(view);
    return layout == null ? Long.MIN_VALUE : streams.get(layout.source().name()).newestApplied(view);
  }

  /** The quality metrics of the events judged on {@code source}'s stream since this process started. */
  public dev.lockstep.core.quality.QualityMetrics quality(String source) {
    return stream(source).quality();
  }

  /**
   * Liveness: whether no stream has stopped for good (fenced by another writer, or a thread killed
   * by an error). A stage that fails and is being retried keeps the runtime live: see {@link
   * #readiness}.
   */
  public boolean healthy() {
    return streams.values().stream().allMatch(stream -> stream.failure() == null);
  }

  /**
   * Readiness at {@code now}: {@code ready} when the runtime is live, no stage is failing and no
   * source sheds pushes (a source its circuit breaker pauses aside); per source its acknowledged events not applied yet, how far its watermark
   * lags {@code now} while they wait ({@code apply_lag_ms}, 0 when none waits), the failing stages
   * with why and since when, and whether its circuit breaker pauses it. Cheap: no I/O.
   */
  public Map<String, Object> readiness(long now) {
    boolean ready = healthy();
    Map<String, Object> sources = new TreeMap<>();
    for (SourceStream stream : streams.values()) {
      Map<String, Object> source = new LinkedHashMap<>();
      long unapplied = stream.unapplied();
      source.put("streaming", stream.live());
      source.put("unapplied_events", unapplied);
      source.put("apply_lag_ms", stream.applyLag());
      source.put("shedding", stream.shedding());
      source.put("paused", stream.paused());
      Map<String, Object> stages = new TreeMap<>();
      stream.degradations().forEach((stage, degradation) -> stages.put(stage, Map.of(
          "reason", degradation.reason(), "since", java.time.Instant.ofEpochMilli(degradation.since()).toString(),
          "failures", degradation.failures())));
      source.put("degraded", stages);
      if (stream.failure() != null) {
        source.put("stopped", stream.failure().getMessage());
      }
      // a source paused by its circuit breaker refuses pushes by design and waits for an operator;
      // it does not make the server unready to serve
      ready &= stages.isEmpty() && (stream.paused() || !stream.shedding());
      sources.put(stream.source().name(), source);
    }
    Map<String, Object> readiness = new LinkedHashMap<>();
    readiness.put("ready", ready);
    readiness.put("sources", sources);
    return readiness;
  }

  SourceStream stream(String source) {
    SourceStream stream = streams.get(source);
    if (stream == null) {
      throw OnlineFetcher.unknownSource(source);
    }
    return stream;
  }

  /** The stream of {@code source} if it is applying events in this process. */
  SourceStream liveStream(String source) {
    SourceStream stream = streams.get(source);
    return stream != null && stream.live() ? stream : null;
  }

  MonotonicClock clock() {
    return clock;
  }

  StateCache cache() {
    return cache;
  }

  /** Whether {@code layout}'s state is older than its view's declared freshness at {@code now}. */
  boolean stale(ViewLayout layout, long now) {
    long bound = layout.freshnessMillis();
    if (bound < 0) {
      return false;
    }
    long watermark = streams.get(layout.source().name()).watermark();
    return watermark == Long.MIN_VALUE || now - watermark > bound;
  }

  void served(Optional<String> service, List<FeatureVector> vectors, Map<String, Object> requestFields) {
    metrics.served(vectors.size());
    if (service.isPresent()) {
      featureLog.log(service.get(), vectors, requestFields);
      for (BiConsumer<String, List<FeatureVector>> listener : servedListeners) {
        listener.accept(service.get(), vectors);
      }
    }
  }

  /** Stops streaming (appending what the log holds to the offline tables) and closes the stores. */
  @Override
  public void close() {
    streaming = false;
    if (breakerWatch != null) {
      breakerWatch.interrupt();
    }
    tailers.forEach(FileTailer::close);
    followers.forEach(FeedFollower::close);
    streams.values().forEach(SourceStream::close);
    lease.close();
    store.close();
    log.close();
  }
}
