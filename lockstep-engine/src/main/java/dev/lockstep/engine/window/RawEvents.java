package dev.lockstep.engine.window;

import java.util.Arrays;

/**
 * The raw events of one tile of a {@link TileSet}, kept so that an evaluation at a time inside that
 * tile sees exactly the events before it. Values are raw bits (longs, doubles) or strings; a null
 * value is kept too, because {@code count} counts it.
 *
 * <p>Mutable, owned by its tile set.
 */
final class RawEvents {
  int size;
  long[] eventTimes = new long[4];
  long[] ingestTimes = new long[4];
  long[] sequences = new long[4];
  long[] bits = new long[4];
  String[] strings = new String[4];
  boolean[] nulls = new boolean[4];

  void add(long eventTime, long ingestTime, long sequence, long bitsValue, String string, boolean isNull) {
    if (size == eventTimes.length) {
      int capacity = size * 2;
      eventTimes = Arrays.copyOf(eventTimes, capacity);
      ingestTimes = Arrays.copyOf(ingestTimes, capacity);
      sequences = Arrays.copyOf(sequences, capacity);
      bits = Arrays.copyOf(bits, capacity);
      strings = Arrays.copyOf(strings, capacity);
      nulls = Arrays.copyOf(nulls, capacity);
    }
    eventTimes[size] = eventTime;
    ingestTimes[size] = ingestTime;
    sequences[size] = sequence;
    bits[size] = bitsValue;
    strings[size] = string;
    nulls[size] = isNull;
    size++;
  }

}
