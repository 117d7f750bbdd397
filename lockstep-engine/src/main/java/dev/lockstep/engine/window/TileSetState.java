package dev.lockstep.engine.window;

import dev.lockstep.api.Window;
import dev.lockstep.engine.aggregate.Aggregator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A plain snapshot of a {@link TileSet}'s contents, for codecs: tiles in ascending hop order and the
 * raw events of the head tile.
 *
 * @param tiles the tiles, ascending by hop index
 * @param headHop the hop index of the head tile ({@code Long.MIN_VALUE} when empty)
 * @param head the raw events of the head tile, in the order they were added
 */
public record TileSetState<P>(List<StoredTile<P>> tiles, long headHop, List<RawEvent> head) {

  /** One tile: its hop index, newest event time and partial. */
  public record StoredTile<P>(long hop, long newestEventTime, P partial) {}

  /** One raw head event; the value is in {@code bits} (long, double bits) or {@code string}. */
  public record RawEvent(long eventTime, long ingestTime, long sequence, long bits, String string, boolean isNull) {}

  /** Snapshots {@code tiles}; the partials are shared, not copied. */
  public static <P> TileSetState<P> of(TileSet<P> tiles) {
    List<StoredTile<P>> stored = new ArrayList<>(tiles.tileCount());
    for (Map.Entry<Long, TileSet.Tile<P>> entry : tiles.tiles().entrySet()) {
      stored.add(new StoredTile<>(entry.getKey(), entry.getValue().newestEventTime(), entry.getValue().partial()));
    }
    HeadEvents head = tiles.head();
    List<RawEvent> events = new ArrayList<>(head.size);
    for (int i = 0; i < head.size; i++) {
      events.add(new RawEvent(head.eventTimes[i], head.ingestTimes[i], head.sequences[i], head.bits[i],
          head.strings[i], head.nulls[i]));
    }
    return new TileSetState<>(List.copyOf(stored), tiles.headHop(), List.copyOf(events));
  }

  /** A tile set holding this state. */
  public TileSet<P> restore(Aggregator<P, ?> aggregator, Window window) {
    TileSet<P> restored = new TileSet<>(aggregator, window);
    for (StoredTile<P> tile : tiles) {
      restored.tiles().put(tile.hop(), new TileSet.Tile<>(tile.partial(), tile.newestEventTime()));
    }
    restored.restoreHead(headHop);
    for (RawEvent event : head) {
      restored.head().add(event.eventTime(), event.ingestTime(), event.sequence(), event.bits(), event.string(),
          event.isNull());
    }
    return restored;
  }
}
