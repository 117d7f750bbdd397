package dev.lockstep.core.online.state;

import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.FeatureStatus;
import dev.lockstep.engine.aggregate.Aggregator;
import dev.lockstep.engine.codec.Framing;
import dev.lockstep.engine.codec.TileSetCodec;
import dev.lockstep.engine.window.TileSet;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The online state of one entity in one feature view: a {@link TileSet} per windowed slot of the
 * view's {@link ViewLayout} and the newest rows per latest-value slot. Applying events and
 * evaluating at {@code t} use the engine's tiles, so a value served at {@code t} equals the
 * training-set value at {@code t} over the same events (docs/architecture.md "Semantics", parity).
 *
 * <p>Stored as format {@value #FORMAT} version {@value #VERSION} (see docs/online-store.md):
 *
 * <pre>
 *   frame header "lockstep.view-state", 1      (Framing: magic, name, version; CRC32 footer)
 *   int    layout fingerprint                   (state of another view definition is refused)
 *   long   written-through watermark            (source ingest time every applied event is below)
 *   long   newest event time, newest ingest time, event count
 *   int    window slots, then per slot: int length, "lockstep.tiles" bytes (TileSetCodec)
 *   int    latest slots, then per slot: int rows, per row: long event time, long ingest time,
 *          long sequence, byte tag (0 null, 1 long, 2 double, 3 string), value
 * </pre>
 *
 * <p><b>What a state keeps.</b> Every read of a state is at a time {@code t} at or after the
 * watermark it was written through (the fetcher reads at the stream's watermark, which only grows).
 * So a state keeps exactly what such reads need, whatever the event times: the raw events of every
 * tile from the one holding the watermark on ({@link TileSet#retainRawFrom}), and per latest slot
 * every row dated at or after the watermark (the newest of each event time) plus the newest row
 * dated before it. Events dated ahead of the clock — producer clocks running early, batches stamped
 * at their close — are served exactly once the clock passes them.
 *
 * <p>Thread-safety: the streaming runtime (or the materializer) owns a state while it applies
 * events, encodes it, and never shares that object. Readers share a state decoded from the
 * published bytes: {@link #evaluate} only reads it (the engine's reads never write to a decoded
 * partial, see {@code Aggregator}), so any number of serving threads may evaluate one decoded state
 * at once.
 */
public final class ViewState {
  public static final String FORMAT = "lockstep.view-state";
  public static final int VERSION = 1;

  private final ViewLayout layout;
  private final TileSet<?>[] tiles;
  private final List<List<LatestRow>> latest;
  private long writtenThrough = Long.MIN_VALUE;
  private long newestEventTime = Long.MIN_VALUE;
  private long newestIngestTime = Long.MIN_VALUE;
  private long eventCount;
  /** The length of the bytes this state was last encoded to or decoded from: what it costs to keep. */
  private int encodedSize;

  public record LatestRow(long eventTime, long ingestTime, long sequence, Object value) {
    public boolean after(LatestRow other) {
      if (eventTime != other.eventTime) {
        return eventTime > other.eventTime;
      }
      if (ingestTime != other.ingestTime) {
        return ingestTime > other.ingestTime;
      }
      return sequence > other.sequence;
    }
  }

  /** The value of one feature at {@code t}. */
  public record Evaluated(Object value, FeatureStatus status) {}

  private ViewState(ViewLayout layout, TileSet<?>[] tiles, List<List<LatestRow>> latest) {
    this.layout = layout;
    this.tiles = tiles;
    this.latest = latest;
  }

  /** An entity the view has seen no event of, to be read at any time. */
  public static ViewState empty(ViewLayout layout) {
    TileSet<?>[] tiles = new TileSet<?>[layout.windowSlots().size()];
    for (int i = 0; i < tiles.length; i++) {
      ViewLayout.WindowSlot slot = layout.windowSlots().get(i);
      tiles[i] = new TileSet<>(slot.aggregator(), slot.window());
    }
    List<List<LatestRow>> latest = new ArrayList<>();
    for (int i = 0; i < layout.latestSlots().size(); i++) {
      latest.add(new ArrayList<>(2));
    }
    return new ViewState(layout, tiles, latest);
  }

  /**
   * An entity the view has seen no event of, to be written through {@code watermark} or later: it
   * keeps what reads at or after {@code watermark} need.
   */
  public static ViewState empty(ViewLayout layout, long watermark) {
    ViewState state = empty(layout);
    state.writtenThrough(watermark);
    return state;
  }

  public ViewLayout layout() {
    return layout;
  }

  /** The source ingest-time watermark of the batch that wrote this state last. */
  public long writtenThrough() {
    return writtenThrough;
  }

  /**
   * Marks the state as holding every event ingested before {@code watermark}; from now on it is read
   * at {@code watermark} or later only, so it drops what no such read needs (see the class note).
   */
  public void writtenThrough(long watermark) {
    this.writtenThrough = watermark;
    for (TileSet<?> tileSet : tiles) {
      tileSet.retainRawFrom(watermark);
    }
    for (List<LatestRow> rows : latest) {
      dropRowsBefore(rows, watermark);
    }
  }

  public long eventCount() {
    return eventCount;
  }

  public long newestIngestTime() {
    return newestIngestTime;
  }

  /** The newest event time applied, or {@code Long.MIN_VALUE}. */
  public long newestEventTime() {
    return newestEventTime;
  }

  /**
   * Adds one event of the view's source; events the view's filter rejects are skipped.
   *
   * @param values the source's column values in declaration order (Long, Double, String or null)
   * @return whether the view took the event
   */
  public boolean apply(long eventTime, long ingestTime, long sequence, Object[] values) {
    if (!layout.accepts(values)) {
      return false;
    }
    for (int i = 0; i < tiles.length; i++) {
      int column = layout.windowSlots().get(i).column();
      tiles[i].add(column < 0 ? 0L : values[column], eventTime, ingestTime, sequence);
    }
    for (int i = 0; i < latest.size(); i++) {
      Object value = values[layout.latestSlots().get(i).column()];
      insert(latest.get(i), new LatestRow(eventTime, ingestTime, sequence, value));
    }
    newestEventTime = Math.max(newestEventTime, eventTime);
    newestIngestTime = Math.max(newestIngestTime, ingestTime);
    eventCount++;
    return true;
  }

  /**
   * Inserts {@code row} into {@code rows}, kept oldest first with at most one row per event time
   * (the greatest: a read never returns a row that another with the same event time follows).
   */
  private void insert(List<LatestRow> rows, LatestRow row) {
    int at = rows.size();
    while (at > 0 && !row.after(rows.get(at - 1))) {
      at--;
    }
    if (at > 0 && rows.get(at - 1).eventTime() == row.eventTime()) {
      rows.set(at - 1, row); // row follows the one of its event time it lands after
    } else if (at < rows.size() && rows.get(at).eventTime() == row.eventTime()) {
      return; // a row of the same event time follows it
    } else {
      rows.add(at, row);
    }
    if (row.eventTime() < writtenThrough) {
      dropRowsBefore(rows, writtenThrough);
    }
  }

  /** Keeps the rows dated at or after {@code t} and the newest row dated before it. */
  private static void dropRowsBefore(List<LatestRow> rows, long t) {
    int before = 0;
    while (before < rows.size() && rows.get(before).eventTime() < t) {
      before++;
    }
    if (before > 1) {
      rows.subList(0, before - 1).clear();
    }
  }

  /** Drops tiles no evaluation at or after {@code t} can see. */
  public void expireBefore(long t) {
    for (TileSet<?> tileSet : tiles) {
      tileSet.expireBefore(t);
    }
  }

  /**
   * The value of {@code binding}'s feature at {@code t}, over every event applied; reads the state
   * only.
   *
   * @throws IllegalStateException if {@code t} is before the watermark the state was written
   *     through and falls inside a tile whose raw events are no longer kept (the engine refuses
   *     rather than guess)
   */
  public Evaluated evaluate(ViewLayout.Binding binding, long t) {
    if (binding.windowed()) {
      Object value = finish(binding.finisher(), tiles[binding.slot()], t);
      return new Evaluated(value, eventCount == 0 ? FeatureStatus.NO_DATA : FeatureStatus.PRESENT);
    }
    List<LatestRow> rows = latest.get(binding.slot());
    for (int i = rows.size() - 1; i >= 0; i--) {
      LatestRow row = rows.get(i);
      if (row.eventTime() < t) {
        if (binding.ttlMillis() >= 0 && t - row.eventTime() > binding.ttlMillis()) {
          return new Evaluated(null, FeatureStatus.EXPIRED);
        }
        return new Evaluated(row.value(), FeatureStatus.PRESENT);
      }
    }
    return new Evaluated(null, FeatureStatus.NO_DATA);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object finish(Aggregator finisher, TileSet tileSet, long t) {
    return finisher.finish(tileSet.evaluatePartial(t));
  }

  /** The length of the bytes this state was last encoded to or decoded from (0 for a new one). */
  public int encodedSize() {
    return encodedSize;
  }

  public byte[] encode() {
    byte[] bytes = encodeBody();
    encodedSize = bytes.length;
    return bytes;
  }

  private byte[] encodeBody() {
    return Framing.write(FORMAT, VERSION, out -> {
      out.writeInt(layout.fingerprint());
      out.writeLong(writtenThrough);
      out.writeLong(newestEventTime);
      out.writeLong(newestIngestTime);
      out.writeLong(eventCount);
      out.writeInt(tiles.length);
      for (TileSet<?> tileSet : tiles) {
        byte[] bytes = TileSetCodec.encode(tileSet);
        out.writeInt(bytes.length);
        out.write(bytes);
      }
      out.writeInt(latest.size());
      for (List<LatestRow> rows : latest) {
        out.writeInt(rows.size());
        for (LatestRow row : rows) {
          out.writeLong(row.eventTime());
          out.writeLong(row.ingestTime());
          out.writeLong(row.sequence());
          writeValue(out, row.value());
        }
      }
    });
  }

  /**
   * Reads state written by {@link #encode} for the same layout.
   *
   * @throws CorruptDataException if the bytes are damaged or were written for another definition of
   *     the view (then re-run {@code lockstep materialize})
   */
  public static ViewState decode(ViewLayout layout, byte[] bytes) {
    String what = "online state of view '" + layout.view().name() + "'";
    return Framing.read(bytes, what, FORMAT, VERSION, (in, version) -> {
      int fingerprint = in.readInt();
      if (!layout.wrote(fingerprint)) {
        throw new CorruptDataException("Cannot read " + what + ": it was written for another definition"
            + " of the view (run lockstep materialize to rebuild it)");
      }
      ViewState state = empty(layout);
      state.encodedSize = bytes.length;
      state.writtenThrough = in.readLong();
      state.newestEventTime = in.readLong();
      state.newestIngestTime = in.readLong();
      state.eventCount = in.readLong();
      int slots = in.readInt();
      if (slots != state.tiles.length) {
        throw new CorruptDataException("Cannot read " + what + ": " + slots + " window slots, expected "
            + state.tiles.length);
      }
      for (int i = 0; i < slots; i++) {
        byte[] tileBytes = new byte[in.readInt()];
        in.readFully(tileBytes);
        ViewLayout.WindowSlot slot = layout.windowSlots().get(i);
        state.tiles[i] = TileSetCodec.decode(slot.aggregator(), slot.window(), tileBytes);
      }
      int latestSlots = in.readInt();
      for (int i = 0; i < latestSlots; i++) {
        int rows = in.readInt();
        List<LatestRow> list = state.latest.get(i);
        for (int r = 0; r < rows; r++) {
          list.add(new LatestRow(in.readLong(), in.readLong(), in.readLong(), readValue(in)));
        }
      }
      return state;
    });
  }

  private static void writeValue(DataOutputStream out, Object value) throws IOException {
    if (value == null) {
      out.writeByte(0);
    } else if (value instanceof Long number) {
      out.writeByte(1);
      out.writeLong(number);
    } else if (value instanceof Double number) {
      out.writeByte(2);
      out.writeLong(Double.doubleToRawLongBits(number));
    } else {
      byte[] utf8 = value.toString().getBytes(StandardCharsets.UTF_8);
      out.writeByte(3);
      out.writeInt(utf8.length);
      out.write(utf8);
    }
  }

  private static Object readValue(DataInputStream in) throws IOException {
    int tag = in.readByte();
    return switch (tag) {
      case 0 -> null;
      case 1 -> in.readLong();
      case 2 -> Double.longBitsToDouble(in.readLong());
      case 3 -> {
        byte[] utf8 = new byte[in.readInt()];
        in.readFully(utf8);
        yield new String(utf8, StandardCharsets.UTF_8);
      }
      default -> throw new CorruptDataException("Cannot read a latest value: unknown tag " + tag);
    };
  }
}
