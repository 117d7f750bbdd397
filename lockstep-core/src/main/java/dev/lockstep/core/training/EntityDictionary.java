package dev.lockstep.core.training;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Dense ids for the entity keys of one partition, in first-seen order. Keys read from a spill file
 * are looked up by their bytes, so the common case — a key seen before — allocates nothing: no
 * {@code String} per event, no boxed {@code Long}. Composite keys fall back to a hash map.
 *
 * <p>Algorithm: open addressing with linear probing over a power-of-two table of ids; string keys
 * are hashed with 64-bit FNV-1a over their UTF-8 bytes, long keys with a murmur finalizer.
 */
final class EntityDictionary {
  private int[] slots = new int[1024]; // id + 1, 0 = empty
  private long[] hashes = new long[256];
  private byte[][] stringKeys = new byte[256][];
  private long[] longKeys = new long[256];
  private final Map<Object, Integer> others = new HashMap<>();
  private boolean[] inTable = new boolean[256];
  private int size;
  private int tableSize;
  private byte[] scratch = new byte[64];

  int size() {
    return size;
  }

  /** The id of the key written next in {@code in} (as {@link SpillWriter#putValue}), added if new. */
  int read(SpillReader in) {
    int tag = in.getByte();
    if (tag == SpillValues.STRING) {
      int length = in.getInt();
      if (scratch.length < length) {
        scratch = new byte[Math.max(length, scratch.length * 2)];
      }
      in.getBytes(scratch, length);
      return stringId(scratch, length, true);
    }
    if (tag == SpillValues.LONG) {
      return longId(in.getLong(), true);
    }
    Object key = SpillValues.readTagged(tag, in);
    return otherId(key, true);
  }

  /** The id of {@code key} (a String, Long or List), or -1 if it was never added. */
  int find(Object key) {
    if (key instanceof String text) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      return stringId(bytes, bytes.length, false);
    }
    if (key instanceof Long number) {
      return longId(number, false);
    }
    return otherId(key, false);
  }

  private int stringId(byte[] bytes, int length, boolean add) {
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < length; i++) {
      hash = (hash ^ (bytes[i] & 0xff)) * 0x100000001b3L;
    }
    int mask = slots.length - 1;
    for (int slot = (int) (hash ^ (hash >>> 32)) & mask; ; slot = (slot + 1) & mask) {
      int id = slots[slot] - 1;
      if (id < 0) {
        if (!add) {
          return -1;
        }
        return insert(slot, hash, Arrays.copyOf(bytes, length), 0);
      }
      byte[] key = stringKeys[id];
      if (hashes[id] == hash && key != null && Arrays.equals(key, 0, key.length, bytes, 0, length)) {
        return id;
      }
    }
  }

  private int longId(long value, boolean add) {
    long hash = value;
    hash ^= hash >>> 33;
    hash *= 0xff51afd7ed558ccdL;
    hash ^= hash >>> 33;
    int mask = slots.length - 1;
    for (int slot = (int) (hash ^ (hash >>> 32)) & mask; ; slot = (slot + 1) & mask) {
      int id = slots[slot] - 1;
      if (id < 0) {
        return add ? insert(slot, hash, null, value) : -1;
      }
      if (stringKeys[id] == null && inTable[id] && longKeys[id] == value) {
        return id;
      }
    }
  }

  private int otherId(Object key, boolean add) {
    Integer id = others.get(key);
    if (id == null) {
      if (!add) {
        return -1;
      }
      // composite keys share the dense ids but never enter the probing table
      id = nextId(0, null, 0, false);
      others.put(key, id);
    }
    return id;
  }

  private int insert(int slot, long hash, byte[] stringKey, long longKey) {
    int id = nextId(hash, stringKey, longKey, true);
    slots[slot] = id + 1;
    tableSize++;
    if (tableSize * 2 > slots.length) {
      rehash();
    }
    return id;
  }

  private int nextId(long hash, byte[] stringKey, long longKey, boolean table) {
    int id = size++;
    if (id == hashes.length) {
      hashes = Arrays.copyOf(hashes, id * 2);
      stringKeys = Arrays.copyOf(stringKeys, id * 2);
      longKeys = Arrays.copyOf(longKeys, id * 2);
      inTable = Arrays.copyOf(inTable, id * 2);
    }
    hashes[id] = hash;
    stringKeys[id] = stringKey;
    longKeys[id] = longKey;
    inTable[id] = table;
    return id;
  }

  private void rehash() {
    int[] grown = new int[slots.length * 2];
    int mask = grown.length - 1;
    for (int id = 0; id < size; id++) {
      if (!inTable[id]) {
        continue;
      }
      long hash = hashes[id];
      int slot = (int) (hash ^ (hash >>> 32)) & mask;
      while (grown[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      grown[slot] = id + 1;
    }
    slots = grown;
  }
}
