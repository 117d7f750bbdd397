package dev.lockstep.testkit.fakes;

import dev.lockstep.spi.EntityKey;
import dev.lockstep.spi.online.Entry;
import dev.lockstep.spi.online.SupportsAtomicCheckpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A hand-written in-memory online store with atomic checkpoints, for tests of the online runtime. */
public final class MemoryOnlineStore implements SupportsAtomicCheckpoint {
  private final Map<String, Map<EntityKey, byte[]>> views = new HashMap<>();
  private final Map<String, byte[]> checkpoints = new HashMap<>();

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public synchronized void write(String view, List<Entry> entries) {
    Map<EntityKey, byte[]> values = views.computeIfAbsent(view, name -> new HashMap<>());
    entries.forEach(entry -> values.put(entry.key(), entry.value()));
  }

  @Override
  public synchronized List<byte[]> read(String view, List<EntityKey> keys) {
    Map<EntityKey, byte[]> values = views.getOrDefault(view, Map.of());
    List<byte[]> result = new ArrayList<>(keys.size());
    keys.forEach(key -> result.add(values.get(key)));
    return result;
  }

  @Override
  public synchronized void delete(String view, EntityKey key) {
    views.getOrDefault(view, new HashMap<>()).remove(key);
  }

  @Override
  public synchronized void dropView(String view) {
    views.remove(view);
  }

  /** While held, writes with checkpoints wait: a stalled applier, for tests of load shedding. */
  private volatile java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(0);

  public void holdWrites() {
    held = new java.util.concurrent.CountDownLatch(1);
  }

  public void releaseWrites() {
    held.countDown();
  }

  @Override
  public void writeWithCheckpoint(Map<String, List<Entry>> entriesByView, String consumer, byte[] checkpoint) {
    try {
      held.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      entriesByView.forEach(this::write);
      checkpoints.put(consumer, checkpoint);
    }
  }

  @Override
  public synchronized Optional<byte[]> checkpoint(String consumer) {
    return Optional.ofNullable(checkpoints.get(consumer));
  }

  /** Every stored value and checkpoint, as {@code view/key} or {@code checkpoint/consumer} to hex bytes. */
  public synchronized Map<String, String> contents() {
    Map<String, String> contents = new TreeMap<>();
    views.forEach((view, values) -> values.forEach((key, value) ->
        contents.put(view + "/" + key, HexFormat.of().formatHex(value))));
    checkpoints.forEach((consumer, value) -> contents.put("checkpoint/" + consumer, HexFormat.of().formatHex(value)));
    return contents;
  }

  /** The stored states of {@code view}. */
  public synchronized Map<EntityKey, byte[]> view(String view) {
    return new HashMap<>(views.getOrDefault(view, Map.of()));
  }

  @Override
  public void close() {}
}
