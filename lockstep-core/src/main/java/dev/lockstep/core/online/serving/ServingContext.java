package dev.lockstep.core.online.serving;

import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.api.client.PushResult;
import dev.lockstep.core.online.state.MonotonicClock;
import dev.lockstep.core.online.state.StateCache;
import dev.lockstep.core.online.state.ViewLayout;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the fetcher needs of the online runtime that runs it: pushes, the watermarks of the streams
 * applying in this process, the clock, the state cache, freshness, and where served vectors go.
 * Implementations are thread-safe: serving threads call them concurrently.
 */
public interface ServingContext {
  /** Accepts pushed events of {@code source} ({@code SourceStream.push}). */
  PushResult push(String source, List<Map<String, Object>> events);

  /** The watermark of {@code source}'s stream if it applies events in this process, else {@code Long.MAX_VALUE}. */
  long liveWatermark(String source);

  MonotonicClock clock();

  StateCache cache();

  /** Whether {@code layout}'s state is older than its view's declared freshness at {@code now}. */
  boolean stale(ViewLayout layout, long now);

  /** Hands the vectors served for a service to the feature log and the listeners. */
  void served(Optional<String> service, List<FeatureVector> vectors, Map<String, Object> requestFields);
}
