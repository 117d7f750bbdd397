package dev.lockstep.spi.fake;

import dev.lockstep.spi.BackendConfig;
import dev.lockstep.spi.BackendFactory;
import dev.lockstep.spi.online.Entry;
import dev.lockstep.spi.online.OnlineStore;
import dev.lockstep.spi.online.SupportsAtomicCheckpoint;
import dev.lockstep.spi.online.SupportsTtl;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An online store with both capabilities. TTL is accepted but not enforced: this fake exists to
 * exercise discovery and capability checks, not expiry.
 */
public class MemoryOnlineStore extends PlainOnlineStore
    implements SupportsTtl, SupportsAtomicCheckpoint {
  public static final String MAX_VIEWS = "max-views";
  public static final int MAX_VIEWS_DEFAULT = 16;
  public static final String FLUSH_INTERVAL = "flush-interval";
  public static final Duration FLUSH_INTERVAL_DEFAULT = Duration.ofSeconds(1);

  private final BackendConfig config;
  private final Map<String, byte[]> checkpoints = new ConcurrentHashMap<>();

  MemoryOnlineStore(BackendConfig config) {
    this.config = config;
  }

  public int maxViews() {
    return config.intValue(MAX_VIEWS, MAX_VIEWS_DEFAULT);
  }

  public Duration flushInterval() {
    return config.duration(FLUSH_INTERVAL, FLUSH_INTERVAL_DEFAULT);
  }

  public BackendConfig config() {
    return config;
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public String displayName() {
    return "Memory";
  }

  @Override
  public void write(String view, List<Entry> entries, Duration ttl) {
    write(view, entries);
  }

  @Override
  public synchronized void writeWithCheckpoint(
      Map<String, List<Entry>> entriesByView, String consumer, byte[] checkpoint) {
    entriesByView.forEach(this::write);
    checkpoints.put(consumer, checkpoint);
  }

  @Override
  public Optional<byte[]> checkpoint(String consumer) {
    return Optional.ofNullable(checkpoints.get(consumer));
  }

  /** Registered in META-INF/services. */
  public static final class Factory implements BackendFactory<OnlineStore> {
    @Override
    public String name() {
      return "memory";
    }

    @Override
    public Class<OnlineStore> role() {
      return OnlineStore.class;
    }

    @Override
    public java.util.Set<String> secretKeys() {
      return java.util.Set.of("connection-string");
    }

    @Override
    public OnlineStore create(BackendConfig config) {
      return new MemoryOnlineStore(config);
    }
  }
}
