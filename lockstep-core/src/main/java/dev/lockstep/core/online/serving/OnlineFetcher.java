package dev.lockstep.core.online.serving;

import dev.lockstep.core.online.state.EntityKeys;
import dev.lockstep.core.online.state.StateCache;
import dev.lockstep.core.online.state.ViewLayout;
import dev.lockstep.core.online.state.ViewState;
import dev.lockstep.core.online.stream.SourceStream;

import dev.lockstep.api.FeatureStatus;
import dev.lockstep.api.LockstepException;
import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.api.client.PushResult;
import dev.lockstep.api.client.UnknownNameException;
import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.spi.EntityKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded {@link FeatureClient}: reads the online store of this process and evaluates the
 * features with the engine at the serving time (docs/architecture.md, "Semantics").
 *
 * <p><b>Serving time.</b> {@code t = now}, lowered to the watermark of every streamed source the
 * request reads, and the states read are checked against those watermarks (a state written by a
 * batch the watermark does not cover yet makes the read start again). So a vector reflects exactly
 * the events ingested before {@code t}, which is what parity needs.
 *
 * <p>Thread-safe, and serving threads share everything it reads: plans and layouts are immutable,
 * states come from the {@link StateCache} and are only read; each request builds its own partials
 * and maps.
 */
public final class OnlineFetcher implements FeatureClient {
  private final ServingContext runtime;
  private final FeatureRepository repository;
  private final Map<String, ViewLayout> layouts;
  private final Map<String, Entity> entities;
  private final ClassLoader loader;
  private final Map<Object, ServingPlan> plans = new ConcurrentHashMap<>();

  public OnlineFetcher(ServingContext runtime, FeatureRepository repository, Map<String, ViewLayout> layouts,
      ClassLoader loader) {
    this.runtime = runtime;
    this.repository = repository;
    this.layouts = layouts;
    this.loader = loader;
    this.entities = new HashMap<>();
    repository.entities().forEach(entity -> entities.put(entity.name(), entity));
  }

  @Override
  public FeatureVector features(FeatureRequest request) {
    return fetch(plan(request.service(), request.features()), List.of(request.entity()), request.context(),
        request.service()).get(0);
  }

  @Override
  public List<FeatureVector> features(BatchFeatureRequest request) {
    return fetch(plan(request.service(), request.features()), request.entities(), request.context(),
        request.service());
  }

  @Override
  public PushResult push(String source, List<Map<String, Object>> events) {
    return runtime.push(source, events);
  }

  @Override
  public void close() {}

  private ServingPlan plan(Optional<String> service, List<String> features) {
    Object key = service.isPresent() ? service.get() : features;
    return plans.computeIfAbsent(key, ignored -> service.isPresent()
        ? ServingPlan.forService(repository, layouts, service.get(), loader)
        : ServingPlan.forFeatures(repository, layouts, features, loader));
  }

  private List<FeatureVector> fetch(ServingPlan plan, List<Map<String, Object>> requested,
      Map<String, Object> context, Optional<String> service) {
    int views = plan.layouts.size();
    List<List<EntityKey>> keys = new ArrayList<>(views);
    for (ViewLayout layout : plan.layouts) {
      Entity entity = entities.get(layout.source().entity());
      List<EntityKey> viewKeys = new ArrayList<>(requested.size());
      for (Map<String, Object> entityValues : requested) {
        viewKeys.add(EntityKeys.ofRequest(entity, layout.source(), entityValues));
      }
      keys.add(viewKeys);
    }
    while (true) {
      long[] watermarks = new long[views];
      for (int v = 0; v < views; v++) {
        watermarks[v] = runtime.liveWatermark(plan.layouts.get(v).source().name());
      }
      // the clock is read after the watermarks: a watermark is an earlier reading of the same
      // monotonic clock, so t is exactly the watermark of a streamed source, never an instant
      // before it (which would serve events ingested between t and the watermark)
      long now = runtime.clock().millis();
      long t = now;
      for (long watermark : watermarks) {
        t = Math.min(t, watermark);
      }
      List<List<StateCache.Cached>> states = new ArrayList<>(views);
      boolean consistent = true;
      for (int v = 0; v < views && consistent; v++) {
        List<StateCache.Cached> read = runtime.cache().read(plan.layouts.get(v), keys.get(v));
        for (StateCache.Cached cached : read) {
          if (cached.writtenThrough() > watermarks[v]) {
            consistent = false;
            break;
          }
        }
        states.add(read);
      }
      if (consistent) {
        List<FeatureVector> vectors = evaluate(plan, requested, context, states, t, now);
        runtime.served(service, vectors, requestFields(plan, context));
        return vectors;
      }
      Thread.onSpinWait();
    }
  }

  private List<FeatureVector> evaluate(ServingPlan plan, List<Map<String, Object>> requested,
      Map<String, Object> context, List<List<StateCache.Cached>> states, long t, long now) {
    List<FeatureVector> vectors = new ArrayList<>(requested.size());
    Instant instant = Instant.ofEpochMilli(t);
    for (int e = 0; e < requested.size(); e++) {
      Map<String, Object> values = new LinkedHashMap<>();
      Map<String, FeatureStatus> statuses = new LinkedHashMap<>();
      for (ServingPlan.Computed feature : plan.computed) {
        int v = plan.layouts.indexOf(feature.layout());
        ViewState state = states.get(v).get(e).state();
        ViewState.Evaluated evaluated = state.evaluate(feature.binding(), t);
        FeatureStatus status = evaluated.status();
        if (status == FeatureStatus.PRESENT && runtime.stale(feature.layout(), now)) {
          status = FeatureStatus.STALE;
        }
        values.put(feature.column(), evaluated.value());
        statuses.put(feature.column(), status);
      }
      if (!plan.onDemand.isEmpty()) {
        plan.onDemand.evaluate(values, context).forEach((column, value) -> {
          values.put(column, value);
          statuses.put(column, value == null ? FeatureStatus.NO_DATA : FeatureStatus.PRESENT);
        });
      }
      Map<String, Object> outputValues = new LinkedHashMap<>();
      Map<String, FeatureStatus> outputStatuses = new LinkedHashMap<>();
      for (String column : plan.outputs) {
        outputValues.put(column, values.get(column));
        outputStatuses.put(column, statuses.get(column));
      }
      vectors.add(new FeatureVector(requested.get(e), instant, outputValues, outputStatuses));
    }
    return vectors;
  }

  /** The request fields the plan's on-demand views read, as sent: what the feature log keeps. */
  private static Map<String, Object> requestFields(ServingPlan plan, Map<String, Object> context) {
    if (plan.onDemand.requestFields().isEmpty() || context.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    for (String field : plan.onDemand.requestFields()) {
      if (context.get(field) != null) {
        fields.put(field, context.get(field));
      }
    }
    return fields;
  }

  public static LockstepException unknownSource(String source) {
    return new UnknownNameException("Cannot push events: there is no source '" + source + "' in the registry");
  }
}
