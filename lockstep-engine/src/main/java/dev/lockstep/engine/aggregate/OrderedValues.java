package dev.lockstep.engine.aggregate;

/**
 * The mutable partial of first_k and last_k: at most {@code k} values with their event order keys,
 * kept sorted ascending by {@code (eventTime, ingestTime, sequence)}. Values are stored as raw
 * bits in {@code bits} (longs, and doubles via {@link Double#doubleToRawLongBits}) or as strings.
 */
final class OrderedValues {
  int size;
  long[] eventTimes;
  long[] ingestTimes;
  long[] sequences;
  long[] bits;
  String[] strings;

  OrderedValues(int capacity, boolean strings) {
    eventTimes = new long[capacity];
    ingestTimes = new long[capacity];
    sequences = new long[capacity];
    if (strings) {
      this.strings = new String[capacity];
    } else {
      this.bits = new long[capacity];
    }
  }

  /** The position at which an event with this key would be inserted to keep the order. */
  int insertionPoint(long eventTime, long ingestTime, long sequence) {
    int low = 0;
    int high = size;
    while (low < high) {
      int middle = (low + high) >>> 1;
      int order = Ordering.compareEvents(eventTimes[middle], ingestTimes[middle], sequences[middle],
          eventTime, ingestTime, sequence);
      if (order < 0) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  /** Inserts at {@code position}, shifting later entries right; the caller keeps size ≤ capacity. */
  void insert(int position, long eventTime, long ingestTime, long sequence, long bitsValue, String string) {
    int tail = size - position;
    System.arraycopy(eventTimes, position, eventTimes, position + 1, tail);
    System.arraycopy(ingestTimes, position, ingestTimes, position + 1, tail);
    System.arraycopy(sequences, position, sequences, position + 1, tail);
    eventTimes[position] = eventTime;
    ingestTimes[position] = ingestTime;
    sequences[position] = sequence;
    if (strings != null) {
      System.arraycopy(strings, position, strings, position + 1, tail);
      strings[position] = string;
    } else {
      System.arraycopy(bits, position, bits, position + 1, tail);
      bits[position] = bitsValue;
    }
    size++;
  }

  /** Removes the entry at {@code position}, shifting later entries left. */
  void remove(int position) {
    int tail = size - position - 1;
    System.arraycopy(eventTimes, position + 1, eventTimes, position, tail);
    System.arraycopy(ingestTimes, position + 1, ingestTimes, position, tail);
    System.arraycopy(sequences, position + 1, sequences, position, tail);
    if (strings != null) {
      System.arraycopy(strings, position + 1, strings, position, tail);
      strings[size - 1] = null;
    } else {
      System.arraycopy(bits, position + 1, bits, position, tail);
    }
    size--;
  }
}
