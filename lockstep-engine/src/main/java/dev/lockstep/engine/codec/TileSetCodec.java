package dev.lockstep.engine.codec;

import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.engine.aggregate.Aggregator;
import dev.lockstep.engine.window.TileSet;
import dev.lockstep.engine.window.TileSetState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores a {@link TileSet} as self-describing bytes: format {@value #FORMAT} version
 * {@value #VERSION}.
 *
 * <pre>
 *   header (see Framing)            "lockstep.tiles", 2
 *   aggregation descriptor          as in PartialCodec
 *   long size millis, long hop millis   the window (-1 size: lifetime)
 *   int tile count, then per tile ascending:  long hop index, long newest event time, int length, payload
 *   long raw floor hop              tiles started at or after it keep their raw events
 *   int raw tile count, then per raw tile ascending: long hop index, int event count, then per
 *        event: long event time, long ingest time, long sequence, bool null, value (long bits, or
 *        int length + UTF-8 for strings)
 *   CRC32 footer
 * </pre>
 *
 * <p>Version 1 kept the raw events of the newest tile only: {@code long head hop, int head count,
 * events} where version 2 has its raw section. It still reads, as a tile set whose raw floor is the
 * head tile.
 */
public final class TileSetCodec {
  public static final String FORMAT = "lockstep.tiles";
  public static final int VERSION = 2;

  private TileSetCodec() {}

  public static <P> byte[] encode(TileSet<P> tiles) {
    Aggregator<P, ?> aggregator = tiles.aggregator();
    TileSetState<P> state = TileSetState.of(tiles);
    return Framing.write(FORMAT, VERSION, out -> {
      PartialCodec.writeDescriptor(aggregator, out);
      out.writeLong(tiles.window().sizeMillis());
      out.writeLong(tiles.window().hopMillis());
      out.writeInt(state.tiles().size());
      for (TileSetState.StoredTile<P> tile : state.tiles()) {
        out.writeLong(tile.hop());
        out.writeLong(tile.newestEventTime());
        byte[] payload = tiles.encodedPayload(tile.hop());
        if (payload == null) {
          payload = payload(aggregator, tile.partial());
          tiles.rememberPayload(tile.hop(), payload);
        }
        out.writeInt(payload.length);
        out.write(payload);
      }
      boolean strings = aggregator.inputType() == ValueType.STRING;
      out.writeLong(state.rawFloorHop());
      out.writeInt(state.raw().size());
      for (TileSetState.RawTile tile : state.raw()) {
        out.writeLong(tile.hop());
        out.writeInt(tile.events().size());
        for (TileSetState.RawEvent event : tile.events()) {
          out.writeLong(event.eventTime());
          out.writeLong(event.ingestTime());
          out.writeLong(event.sequence());
          out.writeBoolean(event.isNull());
          if (strings && !event.isNull()) {
            byte[] utf8 = event.string().getBytes(StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
          } else {
            out.writeLong(event.bits());
          }
        }
      }
    });
  }

  /**
   * Reads a tile set written by {@link #encode} for the same aggregation and window.
   *
   * @throws CorruptDataException if the bytes are damaged, of another format or version, or were
   *     written for another aggregation or window
   */
  public static <P> TileSet<P> decode(Aggregator<P, ?> aggregator, Window window, byte[] bytes) {
    Object what = Framing.lazily(() -> "tiles of " + aggregator.aggregation() + " over " + window);
    return Framing.read(bytes, what, FORMAT, VERSION, (in, version) -> {
      PartialCodec.checkDescriptor(aggregator, in, what);
      long size = in.readLong();
      long hop = in.readLong();
      if (size != window.sizeMillis() || hop != window.hopMillis()) {
        throw new CorruptDataException("Cannot read " + what + ": the bytes were written for window size "
            + size + " ms, hop " + hop + " ms (rebuild the state after changing a window)");
      }
      int tileCount = count(in, what);
      List<TileSetState.StoredTile<P>> tiles = new ArrayList<>(Math.min(tileCount, 1024));
      List<byte[]> payloads = new ArrayList<>(Math.min(tileCount, 1024));
      for (int i = 0; i < tileCount; i++) {
        long tileHop = in.readLong();
        long newest = in.readLong();
        int length = count(in, what);
        byte[] payload = new byte[length];
        in.readFully(payload);
        DataInputStream partialIn = new DataInputStream(new ByteArrayInputStream(payload));
        tiles.add(new TileSetState.StoredTile<>(tileHop, newest, aggregator.read(partialIn)));
        payloads.add(payload);
      }
      boolean strings = aggregator.inputType() == ValueType.STRING;
      long rawFloorHop;
      List<TileSetState.RawTile> raw = new ArrayList<>();
      if (version == 1) {
        // the head tile's events, complete: the raw floor is the head (an empty tile set had none)
        rawFloorHop = in.readLong();
        List<TileSetState.RawEvent> head = readEvents(in, what, strings);
        long headHop = rawFloorHop;
        if (!head.isEmpty() && tiles.stream().anyMatch(tile -> tile.hop() == headHop)) {
          raw.add(new TileSetState.RawTile(headHop, head));
        }
      } else {
        rawFloorHop = in.readLong();
        int rawTiles = count(in, what);
        for (int i = 0; i < rawTiles; i++) {
          raw.add(new TileSetState.RawTile(in.readLong(), readEvents(in, what, strings)));
        }
      }
      TileSet<P> restored = new TileSetState<>(tiles, rawFloorHop, raw).restore(aggregator, window);
      for (int i = 0; i < payloads.size(); i++) {
        restored.rememberPayload(tiles.get(i).hop(), payloads.get(i));
      }
      return restored;
    });
  }

  private static List<TileSetState.RawEvent> readEvents(DataInputStream in, Object what, boolean strings)
      throws IOException {
    int count = count(in, what);
    List<TileSetState.RawEvent> events = new ArrayList<>(Math.min(count, 1024));
    for (int i = 0; i < count; i++) {
      long eventTime = in.readLong();
      long ingestTime = in.readLong();
      long sequence = in.readLong();
      boolean isNull = in.readBoolean();
      String string = null;
      long bits = 0;
      if (strings && !isNull) {
        byte[] utf8 = new byte[count(in, what)];
        in.readFully(utf8);
        string = new String(utf8, StandardCharsets.UTF_8);
      } else {
        bits = in.readLong();
      }
      events.add(new TileSetState.RawEvent(eventTime, ingestTime, sequence, bits, string, isNull));
    }
    return events;
  }

  private static <P> byte[] payload(Aggregator<P, ?> aggregator, P partial) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      aggregator.write(partial, out);
    }
    return bytes.toByteArray();
  }

  private static int count(DataInputStream in, Object what) throws IOException {
    int count = in.readInt();
    if (count < 0 || count > in.available()) {
      throw new CorruptDataException("Cannot read " + what + ": a length of " + count + " does not fit the bytes");
    }
    return count;
  }
}
