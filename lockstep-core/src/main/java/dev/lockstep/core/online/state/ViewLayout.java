package dev.lockstep.core.online.state;

import dev.lockstep.core.internal.EventAdmission;
import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.api.definition.FeatureDefinition;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.LatestFeature;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceColumn;
import dev.lockstep.api.definition.WindowedFeature;
import dev.lockstep.definition.BoundRowFilter;
import dev.lockstep.definition.RowFilter;
import dev.lockstep.engine.aggregate.Aggregator;
import dev.lockstep.engine.aggregate.Aggregators;
import dev.lockstep.spi.offline.Column;
import dev.lockstep.spi.offline.Schema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * What the online store keeps for one feature view: one slot of hop-aligned tiles per distinct
 * (state aggregation, window) among the view's windowed features — features that can finish the
 * same partials share one — and one slot per column read by a latest-value feature. Every version
 * of every feature of the view is served from it. The fingerprint changes whenever the slots do
 * (or the types of the columns they read, or the source's max_future),
 * so state written under another definition is detected instead of misread.
 *
 * <p>Immutable and thread-safe (its aggregators are immutable, its row filter is stateless).
 */
public final class ViewLayout {
  private final FeatureView view;
  private final Source source;
  private final List<WindowSlot> windowSlots;
  private final List<LatestSlot> latestSlots;
  private final Map<String, Binding> bindings;
  private final Optional<BoundRowFilter> filter;
  private final int fingerprint;
  private final int legacyFingerprint;

  /** A windowed slot: the state aggregator, its window and the input column (-1 for count). */
  public record WindowSlot(Aggregator<?, ?> aggregator, Window window, int column) {}

  /** A latest-value slot: the source column whose newest value it keeps. */
  public record LatestSlot(int column) {}

  /**
   * How one feature version reads its slot: windowed features finish the slot's partial with their
   * own aggregator; latest features apply their TTL ({@code -1}: none).
   */
  public record Binding(FeatureDefinition definition, boolean windowed, int slot, Aggregator<?, ?> finisher, long ttlMillis) {}

  private ViewLayout(
      FeatureView view,
      Source source,
      List<WindowSlot> windowSlots,
      List<LatestSlot> latestSlots,
      Map<String, Binding> bindings,
      Optional<BoundRowFilter> filter,
      int fingerprint,
      int legacyFingerprint) {
    this.view = view;
    this.source = source;
    this.windowSlots = windowSlots;
    this.latestSlots = latestSlots;
    this.bindings = bindings;
    this.filter = filter;
    this.fingerprint = fingerprint;
    this.legacyFingerprint = legacyFingerprint;
  }

  public static ViewLayout of(FeatureView view, Source source) {
    List<WindowSlot> windowSlots = new ArrayList<>();
    Map<String, Integer> windowKeys = new LinkedHashMap<>();
    List<LatestSlot> latestSlots = new ArrayList<>();
    Map<Integer, Integer> latestKeys = new LinkedHashMap<>();
    Map<String, Binding> bindings = new LinkedHashMap<>();
    StringBuilder description = new StringBuilder(view.name()).append('|').append(view.filter().orElse(""))
        .append('|').append(view.maxLateness().map(Object::toString).orElse(""));
    for (FeatureDefinition feature : view.features()) {
      if (feature instanceof WindowedFeature windowed) {
        String column = windowed.aggregation().column();
        int position = column == null ? -1 : columnIndex(source, column);
        ValueType type = position < 0 ? null : source.columns().get(position).type();
        Aggregator<?, ?> aggregator = Aggregators.create(windowed.aggregation(), type);
        Aggregator<?, ?> state = aggregator.stateAggregator();
        String key = state.aggregation() + "|" + state.inputType() + "|" + windowed.window();
        int slot = windowKeys.computeIfAbsent(key, ignored -> {
          windowSlots.add(new WindowSlot(state, windowed.window(), position));
          description.append("|w:").append(key);
          return windowSlots.size() - 1;
        });
        bindings.put(key(feature), new Binding(feature, true, slot, aggregator, -1));
      } else if (feature instanceof LatestFeature latest) {
        int position = columnIndex(source, latest.column());
        int slot = latestKeys.computeIfAbsent(position, ignored -> {
          latestSlots.add(new LatestSlot(position));
          description.append("|l:").append(latest.column());
          return latestSlots.size() - 1;
        });
        long ttl = latest.ttl().map(java.time.Duration::toMillis).orElse(-1L);
        bindings.put(key(feature), new Binding(feature, false, slot, null, ttl));
      }
    }
    // The state depends on the columns the view reads, not on the others: a source that gains a
    // column keeps its views' states. States written before that rule carry a fingerprint of every
    // source column; they still read while the source is unchanged.
    StringBuilder legacy = new StringBuilder(description);
    for (SourceColumn column : source.columns()) {
      legacy.append("|c:").append(column.name()).append(':').append(column.type());
    }
    for (LatestSlot slot : latestSlots) {
      description.append("|lt:").append(source.columns().get(slot.column()).type());
    }
    description.append("|f:").append(source.maxFuture().toMillis());
    Optional<BoundRowFilter> filter = view.filter().map(text -> RowFilter.parse(text).bind(schema(source)));
    return new ViewLayout(view, source, List.copyOf(windowSlots), List.copyOf(latestSlots),
        bindings, filter, crc(description), crc(legacy));
  }

  /** The source's columns as an offline schema, for binding row filters. */
  public static Schema schema(Source source) {
    List<Column> columns = new ArrayList<>();
    for (SourceColumn column : source.columns()) {
      columns.add(Column.nullable(column.name(), column.type()));
    }
    return Schema.of(columns);
  }

  private static int columnIndex(Source source, String column) {
    for (int i = 0; i < source.columns().size(); i++) {
      if (source.columns().get(i).name().equals(column)) {
        return i;
      }
    }
    throw new InvalidDefinitionException(
        "Cannot serve view: source '" + source.name() + "' has no column '" + column + "'");
  }

  public FeatureView view() {
    return view;
  }

  public Source source() {
    return source;
  }

  public List<WindowSlot> windowSlots() {
    return windowSlots;
  }

  public List<LatestSlot> latestSlots() {
    return latestSlots;
  }

  /** The binding key of a feature: {@code name@vN}, version always written. */
  public static String key(FeatureDefinition feature) {
    return feature.name() + "@v" + feature.version();
  }

  /** The binding of feature {@code name@vN}, if the view has it. */
  public Optional<Binding> binding(String qualifiedName) {
    return Optional.ofNullable(bindings.get(qualifiedName));
  }

  /** Whether an event with these column values reaches the view's features (its row filter). */
  public boolean accepts(Object[] values) {
    return filter.isEmpty() || filter.get().test(values);
  }

  /**
   * Whether an event with these times reaches the view: within its source's max_future and its own
   * max_lateness ({@link EventAdmission}, as training sets decide).
   */
  public boolean acceptsLateness(long eventTime, long ingestTime) {
    return EventAdmission.admits(source, view, eventTime, ingestTime);
  }

  /** The view's declared freshness bound in milliseconds, or -1. */
  public long freshnessMillis() {
    return view.freshness().map(java.time.Duration::toMillis).orElse(-1L);
  }

  public int fingerprint() {
    return fingerprint;
  }

  /** Whether state stamped with {@code stored} was written for this layout (now, or by an earlier rule). */
  public boolean wrote(int stored) {
    return stored == fingerprint || stored == legacyFingerprint;
  }

  private static int crc(CharSequence description) {
    CRC32 crc = new CRC32();
    crc.update(description.toString().getBytes(StandardCharsets.UTF_8));
    return (int) crc.getValue();
  }

  /**
   * How long after its newest event a state can still give any feature a value, in milliseconds:
   * the longest window plus its hop, or the longest latest-value TTL; -1 (forever) if a window is a
   * lifetime one or a latest value has no TTL.
   */
  public long retentionMillis() {
    long span = longestWindowMillis();
    if (span < 0) {
      return -1;
    }
    for (FeatureDefinition feature : view.features()) {
      if (feature instanceof LatestFeature latest) {
        if (latest.ttl().isEmpty()) {
          return -1;
        }
        span = Math.max(span, latest.ttl().get().toMillis());
      }
    }
    return span;
  }

  /** The longest window of the view in milliseconds; -1 if a window is a lifetime one. */
  public long longestWindowMillis() {
    long longest = 0;
    for (WindowSlot slot : windowSlots) {
      if (slot.window().isLifetime()) {
        return -1;
      }
      longest = Math.max(longest, slot.window().sizeMillis() + slot.window().hopMillis());
    }
    return longest;
  }
}
