package dev.lockstep.engine.window;

import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.engine.aggregate.Aggregator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The state of one windowed aggregation for one entity as an online store or a streaming runtime
 * keeps it: a partial aggregate per hop-aligned tile, the newest event time of each tile, and the
 * raw events of the tiles an evaluation may fall inside.
 *
 * <p>Evaluation at {@code t} merges every tile of the window {@code [floor_H(t − W), t)} (all tiles
 * before {@code t} for a lifetime window): tiles that end by {@code t}, or whose newest event is
 * before {@code t}, whole; the tile holding {@code t}, when it also holds events at or after
 * {@code t}, from its raw events before {@code t}. So a value is exact for events added in any
 * order, at any {@code t} whose tile kept its raw events.
 *
 * <p><b>Which raw events are kept.</b> Every tile from the <em>raw floor</em> on keeps its raw
 * events, complete: a tile started at or after the floor keeps every event added to it. The owner
 * raises the floor with {@link #retainRawFrom}, promising to evaluate only at {@code t} at or after
 * it; tiles below the floor then keep only their partial. The online state raises it to the
 * watermark it was written through, so events dated after the watermark (producer clocks ahead of
 * the server's) keep their raw events until the clock passes them. A new tile set keeps raw events
 * for every tile. Evaluating inside a tile that holds events at or after {@code t} without its raw
 * events is refused rather than guessed.
 *
 * <p>Thread-safety: mutable, for one owner thread. A tile set that nobody adds to any more may be
 * evaluated from many threads at once when its partials came from {@code Aggregator.read} (a
 * decoded tile set): evaluation only reads the tiles and builds a fresh partial per call.
 */
public final class TileSet<P> {
  private final Aggregator<P, ?> aggregator;
  private final Window window;
  private final TreeMap<Long, Tile<P>> tiles = new TreeMap<>();
  /** Raw events by hop, for the tiles that keep theirs (see the class note). */
  private final TreeMap<Long, RawEvents> raw = new TreeMap<>();
  /** Tiles started at or after this hop keep their raw events. */
  private long rawFloorHop = Long.MIN_VALUE;
  /**
   * Encoded payloads of tiles unchanged since they were last encoded or decoded, so a codec
   * re-encodes only the tiles events went to (usually the newest) instead of the whole window.
   */
  private final TreeMap<Long, byte[]> payloads = new TreeMap<>();
  /** Whether the aggregator counts events ({@code count}) rather than reading values. */
  private final boolean countsEvents;

  /** One tile: the partial of its events and the newest event time among them. */
  record Tile<P>(P partial, long newestEventTime) {}

  public TileSet(Aggregator<P, ?> aggregator, Window window) {
    this.aggregator = aggregator;
    this.window = window;
    this.countsEvents = aggregator.inputType() == null;
  }

  public Aggregator<P, ?> aggregator() {
    return aggregator;
  }

  public Window window() {
    return window;
  }

  /** Number of tiles held. */
  public int tileCount() {
    return tiles.size();
  }

  /** Number of raw events held, over every tile that keeps them. */
  public int rawEventCount() {
    int count = 0;
    for (RawEvents events : raw.values()) {
      count += events.size;
    }
    return count;
  }

  /**
   * Raises the raw floor to the tile holding {@code t}: the owner will evaluate at {@code t} or later
   * only, so tiles that end by {@code t} drop their raw events. A lower {@code t} than before changes
   * nothing.
   */
  public void retainRawFrom(long t) {
    long hop = Math.floorDiv(t, window.hopMillis());
    if (hop > rawFloorHop) {
      rawFloorHop = hop;
      raw.headMap(hop, false).clear();
    }
  }

  /** Adds an event whose input is null: only {@code count} counts it. */
  public void addNull(long eventTime, long ingestTime, long sequence) {
    P partial = tileFor(eventTime, 0, null, true, ingestTime, sequence);
    aggregator.addEvent(partial, eventTime, ingestTime, sequence);
  }

  public void addLong(long value, long eventTime, long ingestTime, long sequence) {
    P partial = tileFor(eventTime, value, null, false, ingestTime, sequence);
    if (countsEvents) {
      aggregator.addEvent(partial, eventTime, ingestTime, sequence);
    } else {
      aggregator.addLong(partial, value, eventTime, ingestTime, sequence);
    }
  }

  public void addDouble(double value, long eventTime, long ingestTime, long sequence) {
    P partial = tileFor(eventTime, Double.doubleToRawLongBits(value), null, false, ingestTime, sequence);
    if (countsEvents) {
      aggregator.addEvent(partial, eventTime, ingestTime, sequence);
    } else {
      aggregator.addDouble(partial, value, eventTime, ingestTime, sequence);
    }
  }

  public void addString(String value, long eventTime, long ingestTime, long sequence) {
    P partial = tileFor(eventTime, 0, value, value == null, ingestTime, sequence);
    if (countsEvents) {
      aggregator.addEvent(partial, eventTime, ingestTime, sequence);
    } else if (value != null) {
      aggregator.addString(partial, value, eventTime, ingestTime, sequence);
    }
  }

  /** Adds a boxed value of the input type (Long, Double, String) or null. */
  public void add(Object value, long eventTime, long ingestTime, long sequence) {
    if (value == null) {
      addNull(eventTime, ingestTime, sequence);
    } else if (value instanceof Long number) {
      addLong(number, eventTime, ingestTime, sequence);
    } else if (value instanceof Double number) {
      addDouble(number, eventTime, ingestTime, sequence);
    } else {
      addString((String) value, eventTime, ingestTime, sequence);
    }
  }

  private P tileFor(long eventTime, long bits, String string, boolean isNull, long ingestTime, long sequence) {
    long hop = Math.floorDiv(eventTime, window.hopMillis());
    payloads.remove(hop);
    Tile<P> tile = tiles.get(hop);
    P partial;
    RawEvents events;
    if (tile == null) {
      partial = aggregator.init();
      tiles.put(hop, new Tile<>(partial, eventTime));
      // a tile started at or after the floor keeps all its events; one started below it, none
      events = null;
      raw.remove(hop);
      if (hop >= rawFloorHop) {
        events = new RawEvents();
        raw.put(hop, events);
      }
    } else {
      partial = tile.partial();
      if (eventTime > tile.newestEventTime()) {
        tiles.put(hop, new Tile<>(partial, eventTime));
      }
      events = raw.get(hop);
    }
    if (events != null) {
      events.add(eventTime, ingestTime, sequence, bits, string, isNull);
    }
    return partial;
  }

  /**
   * The aggregate of the events in the window at {@code t}, as a fresh partial; reads this tile
   * set only.
   *
   * @throws IllegalStateException if {@code t} falls inside a tile that holds events at or after
   *     {@code t} and did not keep its raw events (below the raw floor)
   */
  public P evaluatePartial(long t) {
    long hop = window.hopMillis();
    long currentHop = Math.floorDiv(t, hop);
    NavigableMap<Long, Tile<P>> live = window.isLifetime()
        ? tiles.headMap(currentHop, true)
        : tiles.subMap(Math.floorDiv(t - window.sizeMillis(), hop), true, currentHop, true);
    P result = aggregator.init();
    for (Map.Entry<Long, Tile<P>> entry : live.entrySet()) {
      Tile<P> tile = entry.getValue();
      if (entry.getKey() < currentHop || tile.newestEventTime() < t) {
        aggregator.merge(result, tile.partial());
        continue;
      }
      RawEvents events = raw.get(entry.getKey());
      if (events == null) {
        throw new IllegalStateException("Cannot evaluate " + aggregator.aggregation() + " at " + t
            + ": tile " + entry.getKey() + " holds events at or after it and its raw events are gone"
            + " (evaluate at or after the raw floor, the start of tile " + rawFloorHop + ")");
      }
      addRawBefore(events, result, t);
    }
    return result;
  }

  /** The value at {@code t}; see {@link #evaluatePartial(long)}. */
  public Object evaluate(long t) {
    return aggregator.finish(evaluatePartial(t));
  }

  private void addRawBefore(RawEvents events, P result, long t) {
    ValueType type = aggregator.inputType();
    for (int i = 0; i < events.size; i++) {
      long eventTime = events.eventTimes[i];
      if (eventTime >= t) {
        continue;
      }
      long ingestTime = events.ingestTimes[i];
      long sequence = events.sequences[i];
      if (countsEvents) {
        aggregator.addEvent(result, eventTime, ingestTime, sequence);
        continue;
      }
      if (events.nulls[i]) {
        continue;
      }
      switch (type) {
        case LONG -> aggregator.addLong(result, events.bits[i], eventTime, ingestTime, sequence);
        case DOUBLE -> aggregator.addDouble(
            result, Double.longBitsToDouble(events.bits[i]), eventTime, ingestTime, sequence);
        case STRING -> aggregator.addString(result, events.strings[i], eventTime, ingestTime, sequence);
      }
    }
  }

  /**
   * Drops the tiles no evaluation at or after {@code t} can see (none for a lifetime window).
   *
   * @return how many tiles were dropped
   */
  public int expireBefore(long t) {
    if (window.isLifetime()) {
      return 0;
    }
    long oldest = Math.floorDiv(t - window.sizeMillis(), window.hopMillis());
    NavigableMap<Long, Tile<P>> expired = tiles.headMap(oldest, false);
    int count = expired.size();
    expired.clear();
    payloads.headMap(oldest, false).clear();
    raw.headMap(oldest, false).clear();
    return count;
  }

  NavigableMap<Long, Tile<P>> tiles() {
    return tiles;
  }

  /** The encoded payload of tile {@code hop} if it has not changed since it was encoded; else null. */
  public byte[] encodedPayload(long hop) {
    return payloads.get(hop);
  }

  /** Remembers the encoded payload of tile {@code hop}, valid until an event is added to it. */
  public void rememberPayload(long hop, byte[] payload) {
    payloads.put(hop, payload);
  }

  NavigableMap<Long, RawEvents> raw() {
    return raw;
  }

  long rawFloorHop() {
    return rawFloorHop;
  }

  void restoreRaw(long floorHop) {
    rawFloorHop = floorHop;
  }
}
