package dev.lockstep.core.training;

import dev.lockstep.api.ValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * Entity keys inside a training-set build: a {@code Long} or {@code String} for one join key, a
 * {@code List} of them for several. Spine values are converted to the source's key types so equal
 * keys compare and hash equal on both sides.
 */
final class Keys {
  private Keys() {}

  /** The partition of {@code key} among {@code partitions}, well spread even for sequential ids. */
  static int partition(Object key, int partitions) {
    if (partitions == 1) {
      return 0;
    }
    long hash = key.hashCode();
    hash ^= hash >>> 33;
    hash *= 0xff51afd7ed558ccdL;
    hash ^= hash >>> 33;
    hash *= 0xc4ceb9fe1a85ec53L;
    hash ^= hash >>> 33;
    return (int) Math.floorMod(hash, (long) partitions);
  }

  /**
   * The key a spine row names, converted to {@code types}, or null if a key value is missing or
   * cannot be converted (then the row matches no entity).
   */
  static Object fromSpine(Object[] row, int[] keyPositions, List<ValueType> types) {
    if (keyPositions.length == 1) {
      return convert(row[keyPositions[0]], types.get(0));
    }
    List<Object> parts = new ArrayList<>(keyPositions.length);
    for (int i = 0; i < keyPositions.length; i++) {
      Object part = convert(row[keyPositions[i]], types.get(i));
      if (part == null) {
        return null;
      }
      parts.add(part);
    }
    return parts;
  }

  private static Object convert(Object value, ValueType type) {
    if (value == null) {
      return null;
    }
    if (type == ValueType.STRING) {
      return value.toString();
    }
    if (value instanceof Long number) {
      return number;
    }
    if (value instanceof Integer number) {
      return number.longValue();
    }
    try {
      return Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
