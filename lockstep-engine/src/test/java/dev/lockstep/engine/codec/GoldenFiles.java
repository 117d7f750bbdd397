package dev.lockstep.engine.codec;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.engine.aggregate.Aggregator;
import dev.lockstep.engine.aggregate.Aggregators;
import dev.lockstep.engine.window.TileSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The golden files: partials of format version 1 (fixed inputs for every function and input type)
 * and tile sets of versions 1 and 2. {@link #main} writes the partials and the version-2 tile set
 * under {@code src/test/resources/golden}; run it only when a new format version is introduced,
 * never to "fix" a failing golden test. The version-1 tile set was written by an earlier build and
 * is only read.
 */
public final class GoldenFiles {
  static final String DIRECTORY = "golden/v1";
  static final String TILES_V2_DIRECTORY = "golden/tiles-v2";

  private GoldenFiles() {}

  /** Case name → aggregator, for every function and accepted type. */
  static Map<String, Aggregator<?, ?>> aggregators() {
    Map<String, Aggregator<?, ?>> cases = new LinkedHashMap<>();
    for (AggregationFunction function : AggregationFunction.values()) {
      for (ValueType type : ValueType.values()) {
        if (function == AggregationFunction.COUNT && type != ValueType.LONG) {
          continue;
        }
        if (!Aggregators.acceptedTypes(function).contains(type)) {
          continue;
        }
        Aggregation aggregation = switch (function) {
          case COUNT -> Aggregation.count();
          case FIRST_K, LAST_K -> new Aggregation(function, "v", 3, Double.NaN);
          case APPROX_PERCENTILE -> Aggregation.approxPercentile("v", 0.9);
          default -> Aggregation.of(function, "v");
        };
        String name = function.yamlName() + (function == AggregationFunction.COUNT ? "" : "_" + type.yamlName());
        cases.put(name, Aggregators.create(aggregation, type));
      }
    }
    return cases;
  }

  /** The fixed value of event {@code i}, or null. */
  static Object value(ValueType type, int i) {
    if (i % 5 == 4) {
      return null;
    }
    return switch (type) {
      case LONG -> (long) ((i * 37) % 11 - 3) * 1_000_000_007L;
      case DOUBLE -> i * 1.1 - 4.4 + (i % 3 == 0 ? 1e-9 : 0.1);
      case STRING -> new String[] {"m1", "é", "\uD83D\uDE00", "", "zz", "m1", "b"}[i % 7];
    };
  }

  static final int EVENTS = 40;

  static <P> P partial(Aggregator<P, ?> aggregator) {
    P partial = aggregator.init();
    ValueType type = aggregator.inputType() == null ? ValueType.LONG : aggregator.inputType();
    for (int i = 0; i < EVENTS; i++) {
      Object value = value(type, i);
      long eventTime = 1_700_000_000_000L + i * 1_000L;
      if (aggregator.inputType() == null) {
        aggregator.addEvent(partial, eventTime, eventTime + 7, i);
      } else if (value != null) {
        switch (type) {
          case LONG -> aggregator.addLong(partial, (Long) value, eventTime, eventTime + 7, i);
          case DOUBLE -> aggregator.addDouble(partial, (Double) value, eventTime, eventTime + 7, i);
          case STRING -> aggregator.addString(partial, (String) value, eventTime, eventTime + 7, i);
        }
      }
    }
    return partial;
  }

  static final Window TILE_WINDOW = Window.sliding(Duration.ofMinutes(10), Duration.ofMinutes(1));
  static final long TILE_QUERY_TIME = 1_700_000_000_000L + EVENTS * 7_000L;

  /** A time inside an older tile that kept its raw events and holds events after it. */
  static final long TILE_INSIDE_TIME = 1_700_000_000_000L + 200_500L;

  /**
   * A mean over 40 events in 5 one-minute tiles, its raw floor raised to the third tile first (the
   * first two keep partials only), so the stored form has raw events of several tiles.
   */
  static TileSet<?> tileSet() {
    Aggregator<?, ?> mean = Aggregators.create(Aggregation.mean("v"), ValueType.DOUBLE);
    TileSet<?> tiles = new TileSet<>(mean, TILE_WINDOW);
    tiles.retainRawFrom(1_700_000_000_000L + 150_000L);
    for (int i = 0; i < EVENTS; i++) {
      int event = (i * 17) % EVENTS; // out of order
      long eventTime = 1_700_000_000_000L + event * 7_000L;
      tiles.add(value(ValueType.DOUBLE, event), eventTime, eventTime + 3, event);
    }
    return tiles;
  }

  /** A result as stable text: doubles by their bits. */
  static String describe(Object value) {
    if (value instanceof Double d) {
      return "double:" + Long.toHexString(Double.doubleToRawLongBits(d));
    }
    if (value instanceof List<?> list) {
      List<String> items = new ArrayList<>();
      list.forEach(item -> items.add(describe(item)));
      return "list:" + items;
    }
    return value == null ? "null" : value.getClass().getSimpleName().toLowerCase() + ":" + value;
  }

  public static void main(String[] arguments) throws IOException {
    Path directory = Path.of(arguments.length > 0 ? arguments[0] : "src/test/resources").resolve(DIRECTORY);
    Files.createDirectories(directory);
    Properties expected = new Properties();
    for (Map.Entry<String, Aggregator<?, ?>> entry : aggregators().entrySet()) {
      write(directory, entry.getKey(), entry.getValue(), expected);
    }
    Properties stored = new Properties();
    try (var in = Files.newBufferedReader(directory.resolve("expected.properties"))) {
      stored.load(in); // keeps the version-1 tile set's result, which this build no longer writes
    }
    expected.setProperty("tiles_mean_double", stored.getProperty("tiles_mean_double"));
    try (var out = Files.newBufferedWriter(directory.resolve("expected.properties"))) {
      expected.store(out, "Results of the golden partials of format version 1 (doubles as raw bits)");
    }
    Path tilesDirectory = Path.of(arguments.length > 0 ? arguments[0] : "src/test/resources").resolve(TILES_V2_DIRECTORY);
    Files.createDirectories(tilesDirectory);
    TileSet<?> tiles = tileSet();
    Files.write(tilesDirectory.resolve("tiles_mean_double.bin"), TileSetCodec.encode(tiles));
    Properties tileResults = new Properties();
    tileResults.setProperty("at_query_time", describe(tiles.evaluate(TILE_QUERY_TIME)));
    tileResults.setProperty("inside_raw_tile", describe(tiles.evaluate(TILE_INSIDE_TIME)));
    try (var out = Files.newBufferedWriter(tilesDirectory.resolve("expected.properties"))) {
      tileResults.store(out, "Results of the golden tile set of format version 2 (doubles as raw bits)");
    }
  }

  private static <P> void write(Path directory, String name, Aggregator<P, ?> aggregator, Properties expected)
      throws IOException {
    P partial = partial(aggregator);
    Files.write(directory.resolve(name + ".bin"), PartialCodec.encode(aggregator, partial));
    expected.setProperty(name, describe(aggregator.finish(partial)));
  }
}
