package dev.lockstep.spi;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The encoded key of one entity (a user, a card, a merchant) as backends store it. The encoding of
 * typed and composite keys belongs to the caller; backends only compare bytes. Immutable: the bytes
 * are copied in and out. Ordered by unsigned lexicographic byte order, as RocksDB orders keys.
 */
public final class EntityKey implements Comparable<EntityKey> {
  private final byte[] bytes;

  private EntityKey(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * The key of these bytes (copied).
   *
   * @throws IllegalArgumentException if {@code bytes} is empty
   * @throws NullPointerException if {@code bytes} is null
   */
  public static EntityKey of(byte[] bytes) {
    if (bytes.length == 0) {
      throw new IllegalArgumentException("Cannot build entity key: it has no bytes");
    }
    return new EntityKey(bytes.clone());
  }

  /**
   * The key whose bytes are the UTF-8 encoding of {@code text}.
   *
   * @throws IllegalArgumentException if {@code text} is empty
   */
  public static EntityKey of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A copy of the key's bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The number of bytes in the key. */
  public int size() {
    return bytes.length;
  }

  @Override
  public int compareTo(EntityKey other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EntityKey key && Arrays.equals(bytes, key.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Hexadecimal, so keys that are not text print safely, e.g. {@code EntityKey[75312d31]}. */
  @Override
  public String toString() {
    return "EntityKey[" + HexFormat.of().formatHex(Objects.requireNonNull(bytes)) + "]";
  }
}
