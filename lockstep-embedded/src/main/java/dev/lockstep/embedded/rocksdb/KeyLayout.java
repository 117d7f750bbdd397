package dev.lockstep.embedded.rocksdb;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys of the {@code views} column family: the view name's UTF-8 length as an unsigned LEB128
 * varint, the name's UTF-8 bytes, then the entity key's bytes, verbatim.
 *
 * <p>The length-prefixed name is a prefix-free code: the keys of view {@code v} are exactly the
 * byte strings that start with {@code prefix(v)}, whatever bytes names and entity keys contain. So
 * views "a" and "a:b" never share a key, and a view is the key range {@code [prefix(v),
 * successor(prefix(v)))} that {@code dropView} deletes.
 */
final class KeyLayout {
  /** Prefixes are cached for at most this many view names; a deployment has far fewer views. */
  private static final int MAX_CACHED_PREFIXES = 4096;

  private final ConcurrentHashMap<String, byte[]> prefixes = new ConcurrentHashMap<>();

  /** The bytes every key of {@code view} starts with. Callers must not modify the array. */
  byte[] prefix(String view) {
    byte[] prefix = prefixes.get(view);
    if (prefix == null) {
      prefix = encodePrefix(view);
      if (prefixes.size() < MAX_CACHED_PREFIXES) {
        prefixes.put(view, prefix);
      }
    }
    return prefix;
  }

  /** The key of {@code entityKey} (as {@code EntityKey.bytes()}) in the view of {@code prefix}. */
  static byte[] key(byte[] prefix, byte[] entityKey) {
    byte[] key = Arrays.copyOf(prefix, prefix.length + entityKey.length);
    System.arraycopy(entityKey, 0, key, prefix.length, entityKey.length);
    return key;
  }

  /**
   * The smallest byte string greater than every string that starts with {@code prefix}: the prefix
   * with trailing 0xFF bytes dropped and the last remaining byte incremented.
   */
  static byte[] successor(byte[] prefix) {
    int end = prefix.length;
    while (end > 0 && prefix[end - 1] == (byte) 0xFF) {
      end--;
    }
    if (end == 0) {
      // Unreachable: the varint's last byte is below 0x80.
      throw new IllegalArgumentException("Cannot bound the key range: every prefix byte is 0xFF");
    }
    byte[] successor = Arrays.copyOf(prefix, end);
    successor[end - 1]++;
    return successor;
  }

  static byte[] encodePrefix(String view) {
    byte[] name = view.getBytes(StandardCharsets.UTF_8);
    int length = name.length;
    int varintSize = 1;
    for (int rest = length >>> 7; rest != 0; rest >>>= 7) {
      varintSize++;
    }
    byte[] prefix = new byte[varintSize + length];
    int position = 0;
    int rest = length;
    while ((rest & ~0x7F) != 0) {
      prefix[position++] = (byte) ((rest & 0x7F) | 0x80);
      rest >>>= 7;
    }
    prefix[position++] = (byte) rest;
    System.arraycopy(name, 0, prefix, position, length);
    return prefix;
  }
}
