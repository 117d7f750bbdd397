package dev.lockstep.server;

import dev.lockstep.api.client.PushResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * The server's Prometheus registry: a request timer per route and status ({@value #REQUESTS}, with
 * a percentile histogram from 50 µs, as the serving target is below a millisecond), pushed-event
 * counters per source and outcome, the JVM's memory, GC, threads, class loading, CPU, uptime and
 * file descriptors, and whatever the caller binds.
 */
final class ServerMetrics implements AutoCloseable {
  static final String REQUESTS = "lockstep.http.requests";
  static final String PUSHED = "lockstep.push.events";
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  /** Timers by route ordinal and status, so the hot path does not build a meter id per request. */
  private final ConcurrentHashMap<Integer, Timer> timers = new ConcurrentHashMap<>();

  ServerMetrics(Consumer<MeterRegistry> binder) {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    binder.accept(registry);
  }

  /** Records one request of {@code route} answered with {@code status} after {@code nanos}. */
  void record(Route route, int status, long nanos) {
    timers.computeIfAbsent(route.ordinal() * 1000 + status, key -> Timer.builder(REQUESTS)
            .description("HTTP requests by route and status")
            .tag("route", route.template())
            .tag("status", Integer.toString(status))
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(50_000))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The gauge of requests being read or served now ({@code lockstep_http_requests_in_flight}). */
  void inFlight(IntSupplier requests) {
    io.micrometer.core.instrument.Gauge.builder("lockstep.http.requests.in.flight", requests, IntSupplier::getAsInt)
        .description("HTTP requests being read or served now").register(registry);
  }

  /** Counts the outcome of a push to {@code source} (a source that exists: the push succeeded). */
  void pushed(String source, PushResult result) {
    counter(source, "accepted").increment(result.accepted());
    counter(source, "rejected").increment(result.rejected().size());
  }

  private Counter counter(String source, String outcome) {
    return Counter.builder(PUSHED).description("Pushed events by source and outcome")
        .tag("source", source).tag("outcome", outcome).register(registry);
  }

  /** The registry in the Prometheus text format. */
  byte[] scrape() {
    return registry.scrape().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
