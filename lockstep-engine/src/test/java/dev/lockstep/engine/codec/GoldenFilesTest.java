package dev.lockstep.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.api.Window;
import dev.lockstep.testkit.oracle.NaiveOracle;
import dev.lockstep.testkit.oracle.OracleEvent;
import java.util.ArrayList;
import java.util.List;
import dev.lockstep.api.ValueType;
import dev.lockstep.engine.aggregate.Aggregator;
import dev.lockstep.engine.aggregate.Aggregators;
import dev.lockstep.engine.window.TileSet;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Partials stored by format version 1 and tile sets stored by versions 1 and 2 still read, with the
 * same results; and today's encoder still writes partials of version 1 and tile sets of version 2
 * byte for byte, so a format change cannot slip in without a new version.
 */
class GoldenFilesTest {

  @Test
  void storedVersionOnePartialsReadBackToTheirResults() throws IOException {
    Properties expected = expected();
    Map<String, Aggregator<?, ?>> cases = GoldenFiles.aggregators();
    assertThat(cases).hasSizeGreaterThan(35);
    for (Map.Entry<String, Aggregator<?, ?>> entry : cases.entrySet()) {
      byte[] stored = resource(entry.getKey() + ".bin");
      Object result = decodeAndFinish(entry.getValue(), stored);
      assertThat(GoldenFiles.describe(result)).as(entry.getKey()).isEqualTo(expected.getProperty(entry.getKey()));
    }
  }

  @Test
  void todaysEncoderWritesTheCurrentVersionsUnchanged() throws IOException {
    for (Map.Entry<String, Aggregator<?, ?>> entry : GoldenFiles.aggregators().entrySet()) {
      assertThat(encode(entry.getValue())).as(entry.getKey() + " bytes").isEqualTo(resource(entry.getKey() + ".bin"));
    }
    assertThat(TileSetCodec.encode(GoldenFiles.tileSet()))
        .isEqualTo(resource(GoldenFiles.TILES_V2_DIRECTORY, "tiles_mean_double.bin"));
  }

  @Test
  void storedVersionTwoTileSetReadsBackWithTheRawEventsOfSeveralTiles() throws IOException {
    Aggregator<?, ?> mean = Aggregators.create(Aggregation.mean("v"), ValueType.DOUBLE);
    TileSet<?> tiles = TileSetCodec.decode(mean, GoldenFiles.TILE_WINDOW,
        resource(GoldenFiles.TILES_V2_DIRECTORY, "tiles_mean_double.bin"));
    Properties expected = properties(GoldenFiles.TILES_V2_DIRECTORY);
    assertThat(GoldenFiles.describe(tiles.evaluate(GoldenFiles.TILE_QUERY_TIME)))
        .isEqualTo(expected.getProperty("at_query_time"));
    assertThat(GoldenFiles.describe(tiles.evaluate(GoldenFiles.TILE_INSIDE_TIME)))
        .isEqualTo(expected.getProperty("inside_raw_tile"));
    assertThat(tiles.rawEventCount()).isLessThan(GoldenFiles.EVENTS).isGreaterThan(10);
  }

  @Test
  void storedVersionOneTileSetReadsBack() throws IOException {
    Aggregator<?, ?> mean = Aggregators.create(Aggregation.mean("v"), ValueType.DOUBLE);
    TileSet<?> tiles = TileSetCodec.decode(mean, GoldenFiles.TILE_WINDOW, resource("tiles_mean_double.bin"));
    assertThat(GoldenFiles.describe(tiles.evaluate(GoldenFiles.TILE_QUERY_TIME)))
        .isEqualTo(expected().getProperty("tiles_mean_double"));
  }

  @Test
  void recordedResultsOfExactFunctionsAreTheOraclesResults() throws IOException {
    Properties expected = expected();
    int checked = 0;
    for (Map.Entry<String, Aggregator<?, ?>> entry : GoldenFiles.aggregators().entrySet()) {
      Aggregator<?, ?> aggregator = entry.getValue();
      AggregationFunction function = aggregator.aggregation().function();
      if (function == AggregationFunction.APPROX_COUNT_DISTINCT || function == AggregationFunction.APPROX_PERCENTILE) {
        continue;
      }
      ValueType type = aggregator.inputType() == null ? ValueType.LONG : aggregator.inputType();
      List<OracleEvent> events = new ArrayList<>();
      for (int i = 0; i < GoldenFiles.EVENTS; i++) {
        long eventTime = 1_700_000_000_000L + i * 1_000L;
        events.add(new OracleEvent(eventTime, eventTime + 7, i, GoldenFiles.value(type, i)));
      }
      Object oracle = NaiveOracle.evaluate(aggregator.aggregation(), aggregator.inputType(), Window.lifetime(),
          PointInTimeMode.EVENT_TIME, events, Long.MAX_VALUE);
      assertThat(expected.getProperty(entry.getKey())).as(entry.getKey()).isEqualTo(GoldenFiles.describe(oracle));
      checked++;
    }
    assertThat(checked).isGreaterThan(30);
  }

  private static <P> Object decodeAndFinish(Aggregator<P, ?> aggregator, byte[] bytes) {
    return aggregator.finish(PartialCodec.decode(aggregator, bytes));
  }

  private static <P> byte[] encode(Aggregator<P, ?> aggregator) {
    return PartialCodec.encode(aggregator, GoldenFiles.partial(aggregator));
  }

  private static Properties expected() throws IOException {
    return properties(GoldenFiles.DIRECTORY);
  }

  private static Properties properties(String directory) throws IOException {
    Properties expected = new Properties();
    try (InputStream in = GoldenFilesTest.class.getClassLoader()
        .getResourceAsStream(directory + "/expected.properties")) {
      assertThat(in).as("golden expected.properties").isNotNull();
      expected.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
    }
    return expected;
  }

  private static byte[] resource(String name) throws IOException {
    return resource(GoldenFiles.DIRECTORY, name);
  }

  private static byte[] resource(String directory, String name) throws IOException {
    try (InputStream in = GoldenFilesTest.class.getClassLoader().getResourceAsStream(directory + "/" + name)) {
      assertThat(in).as("golden file " + name).isNotNull();
      return in.readAllBytes();
    }
  }
}
