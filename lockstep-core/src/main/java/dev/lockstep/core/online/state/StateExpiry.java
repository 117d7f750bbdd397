package dev.lockstep.core.online.state;

import dev.lockstep.spi.online.OnlineStore;
import dev.lockstep.spi.online.SupportsTtl;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How long stored view states live: a state untouched for its view's retention (longest window
 * plus hop, or longest latest-value TTL; see {@link ViewLayout#retentionMillis()}) plus {@link
 * #GRACE} gives no feature a value any more, so the store may drop it (Redis {@code PX}, RocksDB's
 * stored expiry) and memory stays bounded by the entities that are active. Views with a lifetime
 * window or a latest value without TTL never expire. The grace keeps {@code EXPIRED} statuses
 * visible for a day before a state disappears (and reads say {@code NO_DATA}). Events whose event
 * time lies ahead of the write extend the TTL by as much.
 */
public final class StateExpiry {
  public static final Duration GRACE = Duration.ofDays(1);

  private final boolean enabled;
  private final Map<String, Long> newest = new HashMap<>();

  public StateExpiry(OnlineStore store) {
    this.enabled = store instanceof SupportsTtl;
  }

  /** Notes that {@code state} of {@code layout} is being written. */
  public void note(ViewLayout layout, ViewState state) {
    if (enabled && layout.retentionMillis() >= 0) {
      newest.merge(layout.view().name(), state.newestEventTime(), Math::max);
    }
  }

  /** The TTL of each noted view whose states expire, written at {@code now}; resets the notes. */
  public Map<String, Duration> ttls(Map<String, ViewLayout> layouts, long now) {
    Map<String, Duration> ttls = new HashMap<>();
    newest.forEach((view, newestEventTime) -> {
      long ahead = newestEventTime == Long.MIN_VALUE ? 0 : Math.max(0, newestEventTime - now);
      ttls.put(view, Duration.ofMillis(layouts.get(view).retentionMillis() + GRACE.toMillis() + ahead));
    });
    newest.clear();
    return ttls;
  }
}
