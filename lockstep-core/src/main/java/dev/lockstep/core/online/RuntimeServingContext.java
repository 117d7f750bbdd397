package dev.lockstep.core.online;

import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.api.client.PushResult;
import dev.lockstep.core.online.serving.ServingContext;
import dev.lockstep.core.online.state.MonotonicClock;
import dev.lockstep.core.online.state.StateCache;
import dev.lockstep.core.online.state.ViewLayout;
import dev.lockstep.core.online.stream.SourceStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An {@link OnlineRuntime} as its fetcher sees it. Thread-safe, as the runtime is. */
final class RuntimeServingContext implements ServingContext {
  private final OnlineRuntime runtime;

  RuntimeServingContext(OnlineRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public PushResult push(String source, List<Map<String, Object>> events) {
    return runtime.stream(source).push(events);
  }

  @Override
  public long liveWatermark(String source) {
    SourceStream stream = runtime.liveStream(source);
    return stream == null ? Long.MAX_VALUE : stream.watermark();
  }

  @Override
  public MonotonicClock clock() {
    return runtime.clock();
  }

  @Override
  public StateCache cache() {
    return runtime.cache();
  }

  @Override
  public boolean stale(ViewLayout layout, long now) {
    return runtime.stale(layout, now);
  }

  @Override
  public void served(Optional<String> service, List<FeatureVector> vectors, Map<String, Object> requestFields) {
    runtime.served(service, vectors, requestFields);
  }
}
