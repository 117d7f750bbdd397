package dev.lockstep.engine.codec;

import static dev.lockstep.engine.ResultAssertions.sameBits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.ValueType;
import dev.lockstep.engine.TestData;
import dev.lockstep.engine.aggregate.AlgebraLaws;
import dev.lockstep.engine.aggregate.Aggregator;
import dev.lockstep.engine.aggregate.Aggregators;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Round trips, and bad bytes failing loudly: never a wrong value. */
class PartialCodecTest {

  @Test
  void everyPartialRoundTripsToTheSameResult() {
    for (int trial = 0; trial < 1_000; trial++) {
      SplittableRandom random = new SplittableRandom(0xC0DEL + trial);
      ValueType type = ValueType.values()[random.nextInt(3)];
      roundTrip(Aggregators.create(TestData.aggregation(random, type), type), random, type);
    }
  }

  private static <P> void roundTrip(Aggregator<P, ?> aggregator, SplittableRandom random, ValueType type) {
    P partial = AlgebraLaws.aggregate(aggregator, TestData.events(random, type, random.nextInt(60), 0.2, 1_000, 10));
    byte[] bytes = PartialCodec.encode(aggregator, partial);
    P decoded = PartialCodec.decode(aggregator, bytes);
    assertThat(sameBits(aggregator.finish(partial), aggregator.finish(decoded))).as(aggregator.aggregation().toString()).isTrue();
    if (aggregator.aggregation().function() != AggregationFunction.APPROX_COUNT_DISTINCT) {
      // A HyperLogLog image keeps its coupon table in hash-table order, which a round trip may change.
      assertThat(PartialCodec.encode(aggregator, decoded)).as("re-encoding is stable").isEqualTo(bytes);
    }
  }

  @Test
  void everyTruncationAndEveryFlippedByteIsRefused() {
    Aggregator<?, ?> aggregator = Aggregators.create(Aggregation.lastK("v", 3), ValueType.STRING);
    byte[] bytes = GoldenFilesBytes.of(aggregator);
    for (int length = 0; length < bytes.length; length++) {
      byte[] truncated = java.util.Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> PartialCodec.decode(aggregator, truncated)).as("truncated to " + length)
          .isInstanceOf(CorruptDataException.class).hasMessageStartingWith("Cannot read partial aggregate of last_k(v, 3): ");
    }
    for (int position = 0; position < bytes.length; position++) {
      byte[] damaged = bytes.clone();
      damaged[position] ^= 0x10;
      assertThatThrownBy(() -> PartialCodec.decode(aggregator, damaged)).as("flipped byte " + position)
          .isInstanceOf(CorruptDataException.class);
    }
  }

  @Test
  void aNewerVersionAsksForAnUpgrade() {
    Aggregator<?, ?> aggregator = Aggregators.create(Aggregation.count(), null);
    byte[] newer = Framing.write(PartialCodec.FORMAT, 2, out -> out.writeLong(1));
    assertThatThrownBy(() -> PartialCodec.decode(aggregator, newer))
        .isInstanceOf(CorruptDataException.class)
        .hasMessage("Cannot read partial aggregate of count(): lockstep.partial version 2 is newer than this"
            + " Lockstep reads (up to 1) (upgrade Lockstep)");
  }

  @Test
  void bytesOfAnotherAggregationOrFormatAreRefused() {
    Aggregator<?, ?> sum = Aggregators.create(Aggregation.sum("amount"), ValueType.DOUBLE);
    Aggregator<?, ?> mean = Aggregators.create(Aggregation.mean("amount"), ValueType.DOUBLE);
    byte[] sumBytes = GoldenFilesBytes.of(sum);
    assertThatThrownBy(() -> PartialCodec.decode(mean, sumBytes))
        .isInstanceOf(CorruptDataException.class)
        .hasMessage("Cannot read partial aggregate of mean(amount): the bytes were written for sum(amount) over"
            + " double (read them with that aggregation, or rebuild the state after changing a feature)");
    byte[] tiles = TileSetCodec.encode(GoldenFiles.tileSet());
    Aggregator<?, ?> goldenMean = Aggregators.create(Aggregation.mean("v"), ValueType.DOUBLE);
    assertThatThrownBy(() -> PartialCodec.decode(goldenMean, tiles))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("the bytes hold format 'lockstep.tiles', not 'lockstep.partial'");
    assertThatThrownBy(() -> PartialCodec.decode(goldenMean, "not a partial at all".getBytes()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("the bytes are not a Lockstep value (magic 0x6e6f7420");
  }

  /** Encodes the golden input of an aggregator. */
  static final class GoldenFilesBytes {
    static <P> byte[] of(Aggregator<P, ?> aggregator) {
      return PartialCodec.encode(aggregator, GoldenFiles.partial(aggregator));
    }
  }
}
