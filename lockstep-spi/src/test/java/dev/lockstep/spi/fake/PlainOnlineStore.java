package dev.lockstep.spi.fake;

import dev.lockstep.spi.BackendConfig;
import dev.lockstep.spi.BackendFactory;
import dev.lockstep.spi.EntityKey;
import dev.lockstep.spi.online.Entry;
import dev.lockstep.spi.online.OnlineStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An online store with the required core only: no capabilities, no optional operations. */
public class PlainOnlineStore implements OnlineStore {
  private final Map<String, Map<EntityKey, byte[]>> views = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "plain";
  }

  @Override
  public void write(String view, List<Entry> entries) {
    Map<EntityKey, byte[]> values = views.computeIfAbsent(view, v -> new ConcurrentHashMap<>());
    entries.forEach(entry -> values.put(entry.key(), entry.value()));
  }

  @Override
  public List<byte[]> read(String view, List<EntityKey> keys) {
    Map<EntityKey, byte[]> values = views.getOrDefault(view, Map.of());
    List<byte[]> result = new ArrayList<>(keys.size());
    keys.forEach(key -> result.add(values.get(key)));
    return result;
  }

  @Override
  public void delete(String view, EntityKey key) {
    views.getOrDefault(view, new ConcurrentHashMap<>()).remove(key);
  }

  @Override
  public void close() {}

  /** Registered in META-INF/services. */
  public static final class Factory implements BackendFactory<OnlineStore> {
    @Override
    public String name() {
      return "plain";
    }

    @Override
    public Class<OnlineStore> role() {
      return OnlineStore.class;
    }

    @Override
    public OnlineStore create(BackendConfig config) {
      return new PlainOnlineStore();
    }
  }
}
