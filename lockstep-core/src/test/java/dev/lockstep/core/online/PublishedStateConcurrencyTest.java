package dev.lockstep.core.online;

import dev.lockstep.core.online.state.ViewLayout;
import dev.lockstep.core.online.state.ViewState;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.api.definition.FeatureDefinition;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * One published (decoded) view state is what every serving thread reads for a hot entity: evaluated
 * from many threads at once, each starting at the same instant on a freshly decoded state, every
 * result must have the bits of a single-threaded evaluation. Reads that normalize an exact sum in
 * place, or rebuild a sketch's registers, make this fail.
 */
class PublishedStateConcurrencyTest {
  private static final int THREADS = 8;
  private static final int ROUNDS = 100;
  private static final long W = 1_796_600_000_000L;
  private static final Source SOURCE = Source.builder("payments", SourceFormat.JSONL)
      .entity("card", "card_id")
      .eventTime("ts")
      .column("card_id", ValueType.STRING)
      .column("amount", ValueType.DOUBLE)
      .column("items", ValueType.LONG)
      .column("merchant", ValueType.STRING)
      .build();
  private static final FeatureView VIEW = view();

  @Test
  void everyThreadReadsTheBitsOfASingleThreadedEvaluation() throws Exception {
    ViewLayout layout = ViewLayout.of(VIEW, SOURCE);
    byte[] published = state(layout).encode();
    List<ViewLayout.Binding> bindings = new ArrayList<>();
    for (FeatureDefinition feature : VIEW.features()) {
      bindings.add(layout.binding(ViewLayout.key(feature)).orElseThrow());
    }
    List<Long> times = new ArrayList<>();
    Random random = new Random(77);
    times.add(W);
    for (int i = 0; i < 40; i++) {
      times.add(W + random.nextLong(3 * 86_400_000L));
    }
    // the single-threaded answers, each time on its own freshly decoded state
    Object[][] expected = new Object[times.size()][bindings.size()];
    for (int t = 0; t < times.size(); t++) {
      ViewState alone = ViewState.decode(layout, published);
      for (int f = 0; f < bindings.size(); f++) {
        expected[t][f] = alone.evaluate(bindings.get(f), times.get(t)).value();
      }
    }
    assertThat(expected[0]).as("the state is not trivial").doesNotContainNull();

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    AtomicLong evaluations = new AtomicLong();
    ConcurrentLinkedQueue<String> mismatches = new ConcurrentLinkedQueue<>();
    try {
      for (int round = 0; round < ROUNDS; round++) {
        ViewState shared = ViewState.decode(layout, published);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<?>> running = new ArrayList<>();
        for (int thread = 0; thread < THREADS; thread++) {
          List<Integer> order = new ArrayList<>();
          for (int i = 0; i < times.size() * bindings.size(); i++) {
            order.add(i);
          }
          Collections.shuffle(order, new Random(round * 31L + thread));
          running.add(pool.submit(() -> {
            start.await(30, TimeUnit.SECONDS);
            for (int index : order) {
              int t = index / bindings.size();
              int f = index % bindings.size();
              Object value = shared.evaluate(bindings.get(f), times.get(t)).value();
              evaluations.incrementAndGet();
              if (!dev.lockstep.core.internal.FeatureValues.same(value, expected[t][f]) && mismatches.size() < 10) {
                mismatches.add(VIEW.features().get(f).name() + " at " + times.get(t) + ": " + value + ", alone "
                    + expected[t][f]);
              }
            }
            return null;
          }));
        }
        for (Future<?> future : running) {
          future.get(60, TimeUnit.SECONDS);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(mismatches).isEmpty();
    assertThat(evaluations.get()).isEqualTo((long) ROUNDS * THREADS * times.size() * bindings.size());
  }

  /** 4,000 events of one card over the three days before {@link #W}, amounts with long fractions. */
  private static ViewState state(ViewLayout layout) {
    ViewState state = ViewState.empty(layout, W - 3 * 86_400_000L);
    SplittableRandom random = new SplittableRandom(4242);
    for (int i = 0; i < 4_000; i++) {
      long eventTime = W - 1 - random.nextLong(3 * 86_400_000L);
      double amount = random.nextInt(20) == 0 ? -random.nextDouble() * 1e-3 : random.nextDouble() * 1e4 / 3;
      Object[] values = {"card-1", random.nextInt(25) == 0 ? null : amount, (long) random.nextInt(1_000_000),
          "merchant-" + random.nextInt(900)};
      state.apply(eventTime, eventTime + random.nextInt(5_000), i, values);
    }
    state.expireBefore(W);
    state.writtenThrough(W);
    return state;
  }

  private static FeatureView view() {
    FeatureView.Builder view = FeatureView.builder("card", "payments");
    List<Window> windows = List.of(Window.sliding(Duration.ofMinutes(30)), Window.sliding(Duration.ofDays(1)),
        Window.sliding(Duration.ofDays(7)), Window.lifetime());
    for (int w = 0; w < windows.size(); w++) {
      Window window = windows.get(w);
      view.aggregate("count_" + w, Aggregation.count(), window)
          .aggregate("sum_" + w, Aggregation.sum("amount"), window)
          .aggregate("mean_" + w, Aggregation.mean("amount"), window)
          .aggregate("items_sum_" + w, Aggregation.sum("items"), window)
          .aggregate("var_" + w, Aggregation.of(AggregationFunction.VAR_SAMP, "amount"), window)
          .aggregate("stddev_" + w, Aggregation.of(AggregationFunction.STDDEV_POP, "amount"), window)
          .aggregate("min_" + w, Aggregation.min("amount"), window)
          .aggregate("last_" + w, Aggregation.of(AggregationFunction.LAST, "merchant"), window)
          .aggregate("last_k_" + w, Aggregation.lastK("merchant", 5), window)
          .aggregate("first_k_" + w, Aggregation.firstK("amount", 3), window)
          .aggregate("distinct_" + w, Aggregation.of(AggregationFunction.APPROX_COUNT_DISTINCT, "merchant"), window)
          .aggregate("p90_" + w, Aggregation.approxPercentile("amount", 0.9), window);
    }
    return view.latest("last_merchant", "merchant", null).latest("last_amount", "amount", Duration.ofDays(2)).build();
  }
}
