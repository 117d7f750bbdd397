package dev.lockstep.core.online.state;

import dev.lockstep.spi.EntityKey;
import dev.lockstep.spi.online.OnlineStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decoded view states in front of the online store, so a hot entity is decoded once per update
 * rather than once per read. Entries are immutable once published; a newer state (higher
 * written-through watermark) always replaces an older one, so a reader that loaded stale bytes
 * cannot overwrite what the applier published after. Bounded: past its capacity it starts over.
 *
 * <p>Thread-safe: entries live in a concurrent map and are immutable once published. A {@link
 * Cached} decodes its bytes on first use; two first readers may both decode, and either result is
 * the same state. The decoded {@link ViewState} is shared by every reader and only read.
 */
public final class StateCache {
  private final OnlineStore store;
  private final int capacity;
  private final ConcurrentHashMap<Key, Cached> entries = new ConcurrentHashMap<>();
  /** The encoded bytes of the entries, summed (approximately, under races): bounded by {@link #maxBytes}. */
  private final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
  private final long maxBytes;

  public record Key(String view, EntityKey entity) {}

  /**
   * A published state: its bytes, decoded on first use (a state updated many times between reads
   * is decoded once, by the first reader), and the watermark it was written through. Immutable but
   * for the decoded state, published through a volatile field.
   */
  public static final class Cached {
    private final ViewLayout layout;
    private final byte[] bytes;
    private final long writtenThrough;
    private volatile ViewState state;

    public Cached(ViewLayout layout, byte[] bytes, long writtenThrough) {
      this.layout = layout;
      this.bytes = bytes;
      this.writtenThrough = writtenThrough;
    }

    /** A decoded state, as read from the store. */
    public Cached(ViewLayout layout, byte[] bytes, ViewState state) {
      this(layout, bytes, state.writtenThrough());
      this.state = state;
    }

    public byte[] bytes() {
      return bytes;
    }

    public long writtenThrough() {
      return writtenThrough;
    }

    /** The state; never mutate it. */
    public ViewState state() {
      ViewState decoded = state;
      if (decoded == null) {
        decoded = bytes == null ? ViewState.empty(layout) : ViewState.decode(layout, bytes);
        state = decoded;
      }
      return decoded;
    }
  }

  /**
   * @param capacity entries at most (0: no cache)
   * @param maxBytes the entries' encoded bytes at most
   */
  public StateCache(OnlineStore store, int capacity, long maxBytes) {
    this.store = store;
    this.capacity = capacity;
    this.maxBytes = maxBytes;
  }


  /** The published state of each key of {@code view} (an empty state for unknown entities). */
  public List<Cached> read(ViewLayout layout, List<EntityKey> keys) {
    String view = layout.view().name();
    List<Cached> result = new ArrayList<>(keys.size());
    List<EntityKey> missing = null;
    for (EntityKey key : keys) {
      Cached cached = entries.get(new Key(view, key));
      result.add(cached);
      if (cached == null) {
        missing = missing == null ? new ArrayList<>() : missing;
        missing.add(key);
      }
    }
    if (missing != null) {
      List<byte[]> loaded = store.read(view, missing);
      int next = 0;
      for (int i = 0; i < result.size(); i++) {
        if (result.get(i) == null) {
          byte[] bytes = loaded.get(next++);
          Cached cached = bytes == null
              ? new Cached(layout, null, ViewState.empty(layout))
              : new Cached(layout, bytes, ViewState.decode(layout, bytes));
          if (bytes != null) {
            cached = publish(view, keys.get(i), cached);
          }
          result.set(i, cached);
        }
      }
    }
    return result;
  }

  /** Publishes {@code cached} unless a newer state is there; returns the one kept. */
  public Cached publish(String view, EntityKey key, Cached cached) {
    if (capacity <= 0) {
      return cached;
    }
    if (entries.size() >= capacity || bytes.get() > maxBytes) {
      // past either bound: start over (a decoded state is several times its bytes, and grows with
      // the events it holds, so the count alone would not bound memory)
      entries.clear();
      bytes.set(0);
    }
    long[] delta = {0};
    Cached kept = entries.compute(new Key(view, key), (ignored, old) -> {
      if (old != null && old.writtenThrough() > cached.writtenThrough()) {
        return old;
      }
      delta[0] = size(cached) - (old == null ? 0 : size(old));
      return cached;
    });
    bytes.addAndGet(delta[0]);
    return kept;
  }

  private static long size(Cached cached) {
    return cached.bytes == null ? 0 : cached.bytes.length;
  }

  public void invalidate(String view) {
    entries.keySet().removeIf(key -> key.view().equals(view));
    bytes.set(entries.values().stream().mapToLong(StateCache::size).sum());
  }

  public void clear() {
    entries.clear();
    bytes.set(0);
  }
}
