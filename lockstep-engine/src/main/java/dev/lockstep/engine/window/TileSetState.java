package dev.lockstep.engine.window;

import dev.lockstep.api.Window;
import dev.lockstep.engine.aggregate.Aggregator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A plain snapshot of a {@link TileSet}'s contents, for codecs: tiles in ascending hop order, the
 * raw floor, and the raw events of the tiles that keep theirs.
 *
 * @param tiles the tiles, ascending by hop index
 * @param rawFloorHop tiles started at or after this hop keep their raw events
 * @param raw the raw events of each tile that keeps them, ascending by hop index
 */
public record TileSetState<P>(List<StoredTile<P>> tiles, long rawFloorHop, List<RawTile> raw) {

  /** One tile: its hop index, newest event time and partial. */
  public record StoredTile<P>(long hop, long newestEventTime, P partial) {}

  /** The raw events of the tile at {@code hop}, in the order they were added. */
  public record RawTile(long hop, List<RawEvent> events) {}

  /** One raw event; the value is in {@code bits} (long, double bits) or {@code string}. */
  public record RawEvent(long eventTime, long ingestTime, long sequence, long bits, String string, boolean isNull) {}

  /** Snapshots {@code tiles}; the partials are shared, not copied. */
  public static <P> TileSetState<P> of(TileSet<P> tiles) {
    List<StoredTile<P>> stored = new ArrayList<>(tiles.tileCount());
    for (Map.Entry<Long, TileSet.Tile<P>> entry : tiles.tiles().entrySet()) {
      stored.add(new StoredTile<>(entry.getKey(), entry.getValue().newestEventTime(), entry.getValue().partial()));
    }
    List<RawTile> raw = new ArrayList<>(tiles.raw().size());
    for (Map.Entry<Long, RawEvents> entry : tiles.raw().entrySet()) {
      RawEvents events = entry.getValue();
      List<RawEvent> list = new ArrayList<>(events.size);
      for (int i = 0; i < events.size; i++) {
        list.add(new RawEvent(events.eventTimes[i], events.ingestTimes[i], events.sequences[i], events.bits[i],
            events.strings[i], events.nulls[i]));
      }
      raw.add(new RawTile(entry.getKey(), List.copyOf(list)));
    }
    return new TileSetState<>(List.copyOf(stored), tiles.rawFloorHop(), List.copyOf(raw));
  }

  /** A tile set holding this state. */
  public TileSet<P> restore(Aggregator<P, ?> aggregator, Window window) {
    TileSet<P> restored = new TileSet<>(aggregator, window);
    for (StoredTile<P> tile : tiles) {
      restored.tiles().put(tile.hop(), new TileSet.Tile<>(tile.partial(), tile.newestEventTime()));
    }
    restored.restoreRaw(rawFloorHop);
    for (RawTile tile : raw) {
      RawEvents events = new RawEvents();
      for (RawEvent event : tile.events()) {
        events.add(event.eventTime(), event.ingestTime(), event.sequence(), event.bits(), event.string(),
            event.isNull());
      }
      restored.raw().put(tile.hop(), events);
    }
    return restored;
  }
}
