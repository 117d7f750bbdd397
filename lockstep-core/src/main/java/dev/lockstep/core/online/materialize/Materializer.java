package dev.lockstep.core.online.materialize;

import dev.lockstep.core.online.state.Checkpoints;
import dev.lockstep.core.online.state.StateExpiry;
import dev.lockstep.core.online.state.ViewLayout;
import dev.lockstep.core.online.state.ViewState;
import dev.lockstep.core.online.stream.SourceStream;

import dev.lockstep.api.definition.FeatureDefinition;
import dev.lockstep.api.definition.LatestFeature;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.WindowedFeature;
import dev.lockstep.definition.RowFilter;
import dev.lockstep.spi.Capabilities;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.EntityKey;
import dev.lockstep.spi.eventlog.EventLog;
import dev.lockstep.spi.offline.RowBatch;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.spi.offline.Snapshot;
import dev.lockstep.spi.offline.SupportsBatchScans;
import dev.lockstep.spi.offline.SupportsBatchScans.ScanTask;
import dev.lockstep.spi.offline.SupportsIdempotentAppends;
import dev.lockstep.spi.online.Entry;
import dev.lockstep.spi.online.SupportsAtomicCheckpoint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.CRC32;

/**
 * {@code lockstep materialize}: rebuilds the online state of a source's feature views from its
 * offline table, so serving starts from history rather than from an empty store.
 *
 * <p><b>Algorithm.</b> Let {@code P} be the offline appender's position in the event log (its
 * checkpoint {@code offline:<source>}, past an in-flight batch whose commit is in the table) and
 * {@code S} the table's current snapshot: {@code S} holds exactly the stream's events before {@code
 * P}, plus every batch ingest. The views are cleared, then every entity's state is built from its
 * events in {@code S} with {@link ViewState#apply}, under the rules the applier applies (row filter,
 * max lateness). Entities are split into {@code K} hash chunks of about {@link
 * MaterializeOptions#chunkEvents} events; each chunk scans {@code S} again and keeps its own
 * entities, so memory is bounded by one chunk. A chunk's states are written with the checkpoint
 * {@code materialize:<source>} = (S, K, chunks done), so a rerun on the same snapshot continues at
 * the next chunk. Last, the applier's checkpoint {@code online:<source>} becomes {@code (P, W)}, where
 * {@code W} is after every ingest time read: the applier resumes with the stream's events from
 * {@code P} on, none counted twice. (While the run is part-way it is {@code (P, none)}.)
 *
 * <p><b>Same snapshot, same bytes.</b> Each entity's events are applied in (event time, ingest time,
 * sequence) order, and the default event-time bounds derive from the snapshot's commit time, not
 * from the clock, so two runs over one snapshot write identical states.
 */
public final class Materializer {
  public static final int SCAN_BATCH_ROWS = 8192;
  /** Entities per store write: bounds the write batch, not the chunk. */
  public static final int WRITE_ENTITIES = 1024;

  private final SupportsAtomicCheckpoint store;
  private final EventLog log;
  private final SupportsIdempotentAppends offline;
  private final SupportsBatchScans scans;
  private final MaterializeOptions options;
  private final MaterializeListener listener;

  public Materializer(SupportsAtomicCheckpoint store, EventLog log, SupportsIdempotentAppends offline,
      MaterializeOptions options, MaterializeListener listener) {
    this.store = store;
    this.log = log;
    this.offline = offline;
    this.scans = Capabilities.require(offline, SupportsBatchScans.class, "batch scans");
    this.options = options;
    this.listener = listener;
  }

  /** Rebuilds {@code views}, every feature view of {@code source}. */
  public MaterializeResult.SourceResult materialize(Source source, List<ViewLayout> views) {
    long started = System.nanoTime();
    String name = source.name();
    long position = appenderPosition(name);
    Optional<Snapshot> snapshot = offline.tables().contains(name) ? offline.currentSnapshot(name) : Optional.empty();
    long asOf = snapshot.map(s -> s.committedAt().toEpochMilli() + 1).orElse(Long.MIN_VALUE);
    long[] from = new long[views.size()];
    long scanFrom = Long.MAX_VALUE;
    for (int v = 0; v < views.size(); v++) {
      from[v] = lowerBound(views.get(v), asOf);
      scanFrom = Math.min(scanFrom, from[v]);
    }
    long to = options.to().map(Materializer::ceilMillis).orElse(Long.MAX_VALUE);
    List<String> columns = columnsRead(source, views);
    List<ScanTask> tasks = snapshot.isEmpty() ? List.of() : scans.planBatchScan(name,
        request(snapshot.get().id(), Math.min(scanFrom, to), to, columns), SCAN_BATCH_ROWS);
    long rows = tasks.stream().mapToLong(ScanTask::estimatedRows).sum();
    int chunks = (int) Math.min(Integer.MAX_VALUE, Math.max(1, (rows + options.chunkEvents() - 1) / options.chunkEvents()));
    MaterializeCheckpoint target = new MaterializeCheckpoint(snapshot.map(Snapshot::id).orElse(Long.MIN_VALUE),
        chunks, 0, parameters(views, from, to));
    String consumer = MaterializeCheckpoint.key(name);
    MaterializeCheckpoint stored = MaterializeCheckpoint.decode(store.checkpoint(consumer).orElse(null));
    // While a run is part-way, the applier checkpoint is (P, none): if streaming starts instead of a
    // rerun, it applies the log from P on, so no event is counted twice; if it applies anything,
    // the checkpoint moves and the rerun starts over rather than mix the two.
    byte[] partWay = Checkpoints.encode(position, Long.MIN_VALUE);
    int first = 0;
    if (stored != null && stored.continues(target)
        && Arrays.equals(store.checkpoint(Checkpoints.online(name)).orElse(null), partWay)) {
      first = stored.done();
    } else {
      // recorded first, so a crash while clearing never passes for a partly written run
      store.writeWithCheckpoint(Map.of(), consumer, target.withDone(-1).encode());
      store.writeWithCheckpoint(Map.of(), Checkpoints.online(name), partWay);
      views.forEach(layout -> store.dropView(layout.view().name()));
    }
    long events = 0;
    long entities = 0;
    long watermark = asOf;
    for (int chunk = first; chunk < chunks; chunk++) {
      listener.chunkStarted(name, chunk, chunks, rows);
      ChunkEvents buffer = new ChunkEvents(source, columns);
      long newestIngest = scan(tasks, buffer, chunk, chunks);
      watermark = newestIngest == Long.MIN_VALUE ? asOf : Math.max(asOf, newestIngest + 1);
      listener.chunkScanned(name, chunk, chunks, buffer.size(), buffer.entityCount());
      events += buffer.size();
      entities += write(buffer, views, from, watermark, consumer, target, chunk);
      listener.chunkDone(name, chunk, chunks);
    }
    store.writeWithCheckpoint(Map.of(), Checkpoints.online(name), Checkpoints.encode(position, watermark));
    return new MaterializeResult.SourceResult(name,
        snapshot.isEmpty() ? OptionalLong.empty() : OptionalLong.of(snapshot.get().id()),
        events, entities, views.size(), chunks, first, position,
        watermark == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(watermark)),
        Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * Where the offline appender resumes: the end of an in-flight batch if its commit made it into the
   * table, else its start (what {@link SourceStream#appendOffline} would conclude).
   */
  private long appenderPosition(String name) {
    long[] checkpoint = Checkpoints.decode(store.checkpoint(Checkpoints.offline(name)).orElse(null));
    if (checkpoint == null) {
      return log.startPositions(name).get(0).offset();
    }
    long start = checkpoint[0];
    long end = checkpoint[1];
    boolean committed = end > start && offline.tables().contains(name)
        && offline.findCommit(name, SourceStream.offlineCommitKey(name, start)).isPresent();
    return committed ? end : start;
  }

  /**
   * The first event time the view's state needs, in milliseconds ({@code Long.MIN_VALUE}: all):
   * {@code --from} if given, else its longest window plus hop and its TTLs before {@code asOf}, the
   * snapshot's commit time, which no serving time after the run precedes.
   */
  private long lowerBound(ViewLayout layout, long asOf) {
    if (options.from().isPresent()) {
      return ceilMillis(options.from().get());
    }
    long span = layout.retentionMillis();
    if (asOf == Long.MIN_VALUE || span < 0) {
      return Long.MIN_VALUE;
    }
    return asOf - span < asOf ? asOf - span : Long.MIN_VALUE;
  }

  private static long ceilMillis(Instant instant) {
    long millis = instant.toEpochMilli();
    return instant.getNano() % 1_000_000 == 0 ? millis : millis + 1;
  }

  private static ScanRequest request(long snapshot, long from, long to, List<String> columns) {
    return ScanRequest.atSnapshot(snapshot)
        .withEventTimeRange(from == Long.MIN_VALUE ? null : Instant.ofEpochMilli(from),
            to == Long.MAX_VALUE ? null : Instant.ofEpochMilli(to))
        .withColumns(columns);
  }

  /** The key columns, then every other column a view's features or filter read. */
  public static List<String> columnsRead(Source source, List<ViewLayout> views) {
    List<String> columns = new ArrayList<>(source.keyColumns());
    for (ViewLayout layout : views) {
      for (FeatureDefinition feature : layout.view().features()) {
        String column = feature instanceof WindowedFeature windowed ? windowed.aggregation().column()
            : ((LatestFeature) feature).column();
        if (column != null && !columns.contains(column)) {
          columns.add(column);
        }
      }
      if (layout.view().filter().isPresent()) {
        for (String column : RowFilter.parse(layout.view().filter().get()).columns()) {
          if (!columns.contains(column)) {
            columns.add(column);
          }
        }
      }
    }
    return columns;
  }

  /** What besides the snapshot decides the states' bytes: layouts and event-time bounds. */
  private static long parameters(List<ViewLayout> views, long[] from, long to) {
    StringBuilder text = new StringBuilder("v1|").append(to);
    for (int v = 0; v < views.size(); v++) {
      ViewLayout layout = views.get(v);
      text.append('|').append(layout.view().name()).append(':').append(layout.fingerprint()).append(':').append(from[v]);
    }
    CRC32 crc = new CRC32();
    crc.update(text.toString().getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }

  /**
   * Reads the snapshot's events of chunk {@code chunk} into {@code buffer}.
   *
   * @return the newest ingest time of every row read, of any chunk ({@code Long.MIN_VALUE}: none)
   */
  private long scan(List<ScanTask> tasks, ChunkEvents buffer, int chunk, int chunks) {
    long newestIngest = Long.MIN_VALUE;
    for (ScanTask task : tasks) {
      try (CloseableIterator<RowBatch> batches = task.open()) {
        while (batches.hasNext()) {
          RowBatch batch = batches.next();
          long[] ingestTimes = batch.ingestTimes();
          for (int row = 0; row < batch.size(); row++) {
            newestIngest = Math.max(newestIngest, ingestTimes[row]);
            Object key = buffer.key(batch, row);
            if (key != null && (chunks == 1 || ChunkEvents.chunkOf(key, chunks) == chunk)) {
              buffer.add(batch, row, key);
            }
          }
          listener.scanned(batch.size());
        }
      }
    }
    return newestIngest;
  }

  /**
   * Builds and writes the state of every entity of {@code buffer}; the last write carries the
   * checkpoint of the chunk being done.
   *
   * @return the entities written
   */
  private long write(ChunkEvents buffer, List<ViewLayout> views, long[] from, long watermark,
      String consumer, MaterializeCheckpoint target, int chunk) {
    int[] order = buffer.sortedOrder();
    Object[] values = new Object[views.get(0).source().columns().size()];
    Map<String, List<Entry>> writes = new LinkedHashMap<>();
    StateExpiry expiry = new StateExpiry(store);
    Map<String, ViewLayout> byName = new java.util.HashMap<>();
    views.forEach(layout -> byName.put(layout.view().name(), layout));
    long written = 0;
    int pending = 0;
    int next = 0;
    while (next < order.length) {
      int entity = buffer.entity(order[next]);
      ViewState[] states = new ViewState[views.size()];
      for (int v = 0; v < states.length; v++) {
        states[v] = ViewState.empty(views.get(v), watermark);
      }
      for (; next < order.length && buffer.entity(order[next]) == entity; next++) {
        int event = order[next];
        long eventTime = buffer.eventTime(event);
        long ingestTime = buffer.ingestTime(event);
        buffer.values(event, values);
        for (int v = 0; v < states.length; v++) {
          if (eventTime >= from[v] && views.get(v).acceptsLateness(eventTime, ingestTime)) {
            states[v].apply(eventTime, ingestTime, buffer.sequence(event), values);
          }
        }
      }
      EntityKey key = null;
      for (int v = 0; v < states.length; v++) {
        ViewState state = states[v];
        if (state.eventCount() == 0) {
          continue;
        }
        key = key == null ? buffer.entityKey(entity) : key;
        state.expireBefore(watermark);
        state.writtenThrough(watermark);
        expiry.note(views.get(v), state);
        writes.computeIfAbsent(views.get(v).view().name(), view -> new ArrayList<>()).add(new Entry(key, state.encode()));
      }
      if (key != null && ++pending == WRITE_ENTITIES) {
        store.writeWithCheckpoint(writes, expiry.ttls(byName, System.currentTimeMillis()), consumer,
            target.withDone(chunk).encode());
        listener.written(pending);
        written += pending;
        writes.clear();
        pending = 0;
      }
    }
    store.writeWithCheckpoint(writes, expiry.ttls(byName, System.currentTimeMillis()), consumer,
        target.withDone(chunk + 1).encode());
    listener.written(pending);
    return written + pending;
  }
}
