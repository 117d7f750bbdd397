package dev.lockstep.core.online;

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
 */
final class StateCache {
  private final OnlineStore store;
  private final int capacity;
  private final ConcurrentHashMap<Key, Cached> entries = new ConcurrentHashMap<>();

  record Key(String view, EntityKey entity) {}

  /** A published state and the bytes it was encoded as. */
  record Cached(ViewState state, byte[] bytes) {}

  StateCache(OnlineStore store, int capacity) {
    this.store = store;
    this.capacity = capacity;
  }

  /** The published state of each key of {@code view} (an empty state for unknown entities). */
  List<Cached> read(ViewLayout layout, List<EntityKey> keys) {
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
              ? new Cached(ViewState.empty(layout), null)
              : new Cached(ViewState.decode(layout, bytes), bytes);
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
  Cached publish(String view, EntityKey key, Cached cached) {
    if (entries.size() >= capacity) {
      entries.clear();
    }
    return entries.merge(new Key(view, key), cached,
        (old, fresh) -> fresh.state().writtenThrough() >= old.state().writtenThrough() ? fresh : old);
  }

  void invalidate(String view) {
    entries.keySet().removeIf(key -> key.view().equals(view));
  }

  void clear() {
    entries.clear();
  }
}
