package dev.lockstep.core.online.state;

import java.util.Map;
import java.util.HashMap;
import java.util.Collection;
import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceColumn;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The bytes of one accepted event in the event log: format {@value #FORMAT} version {@value
 * #VERSION}. The record's timestamp is the event's ingest time; its key is the entity key.
 *
 * <pre>
 *   byte   version (1)
 *   int    schema fingerprint (CRC32 of the source's column names and types)
 *   long   event time (epoch ms)
 *   long   sequence
 *   per source column, in declaration order: byte tag (0 null, 1 long, 2 double, 3 string),
 *          then 8 bytes, or int length + UTF-8
 *   byte   origin (0 pushed; 1 tailed from a file, then int file id, long offset past the line)
 * </pre>
 */
public final class EventRecords {
  public static final String FORMAT = "lockstep.event";
  public static final int VERSION = 1;

  /** A decoded event. */
  public record Event(long eventTime, long sequence, Object[] values, int fileId, long fileOffset) {
    public boolean tailed() {
      return fileOffset >= 0;
    }
  }

  /** Where a tailed event's line ends in its file; {@link #PUSHED} for pushed events. */
  public record Origin(int fileId, long offset) {}

  public static final Origin PUSHED = new Origin(0, -1);

  private EventRecords() {}

  public static Class<?> javaClass(ValueType type) {
    return switch (type) {
      case LONG -> Long.class;
      case DOUBLE -> Double.class;
      case STRING -> String.class;
    };
  }

  public static int fingerprint(Source source) {
    CRC32 crc = new CRC32();
    for (SourceColumn column : source.columns()) {
      crc.update((column.name() + ":" + column.type() + ";").getBytes(StandardCharsets.UTF_8));
    }
    return (int) crc.getValue();
  }

  public static byte[] encode(int fingerprint, long eventTime, long sequence, Object[] values, Origin origin) {
    int size = 1 + 4 + 8 + 8 + 1 + (origin.offset() >= 0 ? 12 : 0);
    byte[][] strings = new byte[values.length][];
    for (int i = 0; i < values.length; i++) {
      Object value = values[i];
      if (value == null) {
        size += 1;
      } else if (value instanceof String text) {
        strings[i] = text.getBytes(StandardCharsets.UTF_8);
        size += 1 + 4 + strings[i].length;
      } else {
        size += 9;
      }
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put((byte) VERSION).putInt(fingerprint).putLong(eventTime).putLong(sequence);
    for (int i = 0; i < values.length; i++) {
      Object value = values[i];
      if (value == null) {
        out.put((byte) 0);
      } else if (value instanceof Long number) {
        out.put((byte) 1).putLong(number);
      } else if (value instanceof Double number) {
        out.put((byte) 2).putLong(Double.doubleToRawLongBits(number));
      } else {
        out.put((byte) 3).putInt(strings[i].length).put(strings[i]);
      }
    }
    if (origin.offset() >= 0) {
      out.put((byte) 1).putInt(origin.fileId()).putLong(origin.offset());
    } else {
      out.put((byte) 0);
    }
    return out.array();
  }

  /**
   * Decodes the events of one source as it is declared now, and those it logged under earlier
   * declarations (a column added since): an earlier event's values are moved to the current
   * columns by name, a column it did not have reading null. Immutable and thread-safe.
   */
  public static final class Reader {
    private final Source current;
    private final int fingerprint;
    private final Map<Integer, Source> earlier = new HashMap<>();

    /** @param earlier the source's earlier declarations (other column lists), in any order */
    public Reader(Source current, Collection<Source> earlier) {
      this.current = current;
      this.fingerprint = EventRecords.fingerprint(current);
      for (Source source : earlier) {
        int print = EventRecords.fingerprint(source);
        if (print != fingerprint) {
          this.earlier.put(print, source);
        }
      }
    }

    public Source source() {
      return current;
    }

    public int fingerprint() {
      return fingerprint;
    }

    /** @throws CorruptDataException if the bytes are not an event of the source, now or earlier */
    public Event decode(byte[] bytes) {
      int stored = bytes.length >= 5 ? ByteBuffer.wrap(bytes, 1, 4).getInt() : fingerprint;
      Source as = stored == fingerprint ? current : earlier.get(stored);
      if (as == null) {
        return EventRecords.decode(current, fingerprint, bytes); // refused there, with the reason
      }
      Event event = EventRecords.decode(as, stored, bytes);
      if (as == current) {
        return event;
      }
      Object[] values = new Object[current.columns().size()];
      for (int i = 0; i < values.length; i++) {
        SourceColumn column = current.columns().get(i);
        for (int j = 0; j < as.columns().size(); j++) {
          if (as.columns().get(j).name().equals(column.name())) {
            Object value = event.values()[j];
            if (value != null && !javaClass(column.type()).isInstance(value)) {
              throw new CorruptDataException("Cannot read an event of source '" + current.name() + "': column "
                  + column.name() + " was " + as.columns().get(j).type().yamlName() + " when it was logged");
            }
            values[i] = value;
          }
        }
      }
      return new Event(event.eventTime(), event.sequence(), values, event.fileId(), event.fileOffset());
    }
  }

  /**
   * @throws CorruptDataException if the bytes are not an event of {@code source}'s current columns
   */
  public static Event decode(Source source, int fingerprint, byte[] bytes) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      int version = in.get();
      if (version != VERSION) {
        throw new CorruptDataException("Cannot read an event of source '" + source.name() + "': "
            + FORMAT + " version " + version + " is unknown (upgrade Lockstep)");
      }
      if (in.getInt() != fingerprint) {
        throw new CorruptDataException("Cannot read an event of source '" + source.name()
            + "': it was accepted under other columns of the source");
      }
      long eventTime = in.getLong();
      long sequence = in.getLong();
      Object[] values = new Object[source.columns().size()];
      for (int i = 0; i < values.length; i++) {
        int tag = in.get();
        values[i] = switch (tag) {
          case 0 -> null;
          case 1 -> in.getLong();
          case 2 -> Double.longBitsToDouble(in.getLong());
          case 3 -> {
            byte[] utf8 = new byte[in.getInt()];
            in.get(utf8);
            yield new String(utf8, StandardCharsets.UTF_8);
          }
          default -> throw new CorruptDataException("Cannot read an event of source '" + source.name()
              + "': unknown value tag " + tag);
        };
        ValueType type = source.columns().get(i).type();
        if (values[i] != null && !javaClass(type).isInstance(values[i])) {
          throw new CorruptDataException("Cannot read an event of source '" + source.name()
              + "': column " + source.columns().get(i).name() + " holds a " + values[i].getClass().getSimpleName());
        }
      }
      int fileId = 0;
      long fileOffset = -1;
      if (in.get() == 1) {
        fileId = in.getInt();
        fileOffset = in.getLong();
      }
      if (in.hasRemaining()) {
        throw new CorruptDataException("Cannot read an event of source '" + source.name() + "': "
            + in.remaining() + " unexpected bytes after it");
      }
      return new Event(eventTime, sequence, values, fileId, fileOffset);
    } catch (RuntimeException e) {
      if (e instanceof CorruptDataException corrupt) {
        throw corrupt;
      }
      throw new CorruptDataException("Cannot read an event of source '" + source.name() + "': the bytes are damaged", e);
    }
  }
}
