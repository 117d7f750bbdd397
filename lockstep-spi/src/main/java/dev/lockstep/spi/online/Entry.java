package dev.lockstep.spi.online;

import dev.lockstep.spi.EntityKey;
import java.util.Arrays;
import java.util.Objects;

/**
 * The state of one entity in one feature view, as the online store keeps it. The value is opaque:
 * the engine encodes it (tiles of partial aggregates) and writes its format name and version into
 * the bytes, so stored state describes itself. Not copied (see {@link dev.lockstep.spi.Backend});
 * equality compares contents.
 *
 * @param key the entity
 * @param value the encoded state; never null (to remove state, use {@link OnlineStore#delete})
 */
public record Entry(EntityKey key, byte[] value) {

  /**
   * @throws NullPointerException if an argument is null
   */
  public Entry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Entry entry
        && key.equals(entry.key)
        && Arrays.equals(value, entry.value);
  }

  @Override
  public int hashCode() {
    return 31 * key.hashCode() + Arrays.hashCode(value);
  }

  /** The key and the value's size: the value may be personal data. */
  @Override
  public String toString() {
    return "Entry[key=" + key + ", value=" + value.length + " bytes]";
  }
}
