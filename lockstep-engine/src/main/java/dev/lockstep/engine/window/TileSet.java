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
 * raw events of the newest tile (the head).
 *
 * <p>Evaluation at {@code t} merges every tile of the window {@code [floor_H(t − W), t)} (all tiles
 * before {@code t} for a lifetime window): tiles that end by {@code t}, or whose newest event is
 * before {@code t}, whole; the tile holding {@code t} from the raw head events before {@code t}. So
 * a value read at any {@code t} from the head's start on is exact, for events added in any order.
 * Evaluating inside an older tile that holds events at or after {@code t} is refused, since its raw
 * events are no longer kept.
 *
 * <p>Mutable, not thread-safe.
 */
public final class TileSet<P> {
  private final Aggregator<P, ?> aggregator;
  private final Window window;
  private final TreeMap<Long, Tile<P>> tiles = new TreeMap<>();
  private final HeadEvents head = new HeadEvents();
  private long headHop = Long.MIN_VALUE;
  /**
   * Encoded payloads of tiles unchanged since they were last encoded or decoded, so a codec
   * re-encodes only the tiles events went to (usually the head) instead of the whole window.
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

  /** Number of raw events held for the head tile. */
  public int headEventCount() {
    return head.size;
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
    if (tile == null) {
      partial = aggregator.init();
      tiles.put(hop, new Tile<>(partial, eventTime));
    } else {
      partial = tile.partial();
      if (eventTime > tile.newestEventTime()) {
        tiles.put(hop, new Tile<>(partial, eventTime));
      }
    }
    if (hop > headHop) {
      head.clear();
      headHop = hop;
    }
    if (hop == headHop) {
      head.add(eventTime, ingestTime, sequence, bits, string, isNull);
    }
    return partial;
  }

  /**
   * The aggregate of the events in the window at {@code t}, as a fresh partial.
   *
   * @throws IllegalStateException if {@code t} falls inside an older tile that holds events at or
   *     after {@code t}, whose raw events are no longer kept
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
      } else if (entry.getKey() == headHop) {
        addHeadBefore(result, t);
      } else {
        throw new IllegalStateException("Cannot evaluate " + aggregator.aggregation() + " at " + t
            + ": tile " + entry.getKey() + " holds events at or after it and its raw events are gone"
            + " (evaluate at or after the newest tile's start)");
      }
    }
    return result;
  }

  /** The value at {@code t}; see {@link #evaluatePartial(long)}. */
  public Object evaluate(long t) {
    return aggregator.finish(evaluatePartial(t));
  }

  private void addHeadBefore(P result, long t) {
    ValueType type = aggregator.inputType();
    for (int i = 0; i < head.size; i++) {
      long eventTime = head.eventTimes[i];
      if (eventTime >= t) {
        continue;
      }
      long ingestTime = head.ingestTimes[i];
      long sequence = head.sequences[i];
      if (countsEvents) {
        aggregator.addEvent(result, eventTime, ingestTime, sequence);
        continue;
      }
      if (head.nulls[i]) {
        continue;
      }
      switch (type) {
        case LONG -> aggregator.addLong(result, head.bits[i], eventTime, ingestTime, sequence);
        case DOUBLE -> aggregator.addDouble(
            result, Double.longBitsToDouble(head.bits[i]), eventTime, ingestTime, sequence);
        case STRING -> aggregator.addString(result, head.strings[i], eventTime, ingestTime, sequence);
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

  HeadEvents head() {
    return head;
  }

  long headHop() {
    return headHop;
  }

  void restoreHead(long hop) {
    headHop = hop;
  }
}
