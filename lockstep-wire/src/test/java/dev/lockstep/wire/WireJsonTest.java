package dev.lockstep.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import dev.lockstep.api.FeatureStatus;
import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.api.client.InvalidRequestException;
import dev.lockstep.api.client.PushResult;
import dev.lockstep.api.client.RequestTooLargeException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * What the server writes the client reads back equal, and what the client writes the server reads
 * back equal: random vectors, batches, requests and push results through the one codec, with every
 * extreme a value can take.
 */
class WireJsonTest {
  private static final double[] DOUBLES = {0.0, -0.0, 0.1, -1.5, Double.MIN_VALUE, -Double.MIN_VALUE,
      Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL, Double.NaN, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY, 1e-300, 123456789.123456789, 2.0 / 3.0};
  private static final long[] LONGS = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 9_007_199_254_740_993L};
  private static final String[] STRINGS = {"", "a", "é中文🙂", "quote\" back\\slash", "line\nbreak\ttab\u0000nul",
      "NaN", "123", " "};

  @Property(tries = 2000, seed = "17")
  void vectorsTheServerWritesReadBackEqual(@ForAll long seed) throws IOException {
    Random random = new Random(seed);
    FeatureVector vector = vector(random);
    assertThat(WireJson.readVector(WireJson.vector(vector))).isEqualTo(vector);
    List<FeatureVector> batch = new ArrayList<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      batch.add(vector(random));
    }
    assertThat(WireJson.readVectors(WireJson.vectors(batch))).isEqualTo(batch);
  }

  @Property(tries = 2000, seed = "23")
  void requestsTheClientWritesReadBackEqual(@ForAll long seed) throws IOException {
    Random random = new Random(seed);
    Map<String, Object> context = new LinkedHashMap<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      context.put("f" + i, requestValue(random, 2));
    }
    Optional<String> service = random.nextBoolean() ? Optional.of("svc_" + random.nextInt(9)) : Optional.empty();
    List<String> features = service.isPresent() ? List.of() : List.of("v:f" + random.nextInt(9), "w:g");
    FeatureRequest single = new FeatureRequest(service, features, entity(random), context);
    assertThat(read(WireJson.request(single))).isEqualTo(single);
    List<Map<String, Object>> entities = new ArrayList<>();
    for (int i = 1 + random.nextInt(5); i > 0; i--) {
      entities.add(entity(random));
    }
    BatchFeatureRequest batch = new BatchFeatureRequest(service, features, entities, context);
    assertThat(read(WireJson.request(batch))).isEqualTo(batch);
  }

  @Property(tries = 500, seed = "29")
  void pushResultsAndErrorsReadBackEqual(@ForAll long seed) throws IOException {
    Random random = new Random(seed);
    List<PushResult.Rejection> rejected = new ArrayList<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      rejected.add(new PushResult.Rejection(random.nextInt(1000), STRINGS[random.nextInt(STRINGS.length)]));
    }
    PushResult result = new PushResult(random.nextInt(1000), rejected);
    assertThat(WireJson.readPushResult(WireJson.pushResult(result))).isEqualTo(result);
    String message = "Cannot x: " + STRINGS[random.nextInt(STRINGS.length)];
    assertThat(WireJson.errorMessage(WireJson.error(400, message))).isEqualTo(message);
  }

  @Test
  void numbersBeyondLongAndDoubleAreKeptExactlyNotRefusedNorRounded() throws IOException {
    FeatureRequest request = (FeatureRequest) read(
        "{\"service\":\"s\",\"entity\":{\"k\":123456789012345678901},\"context\":{\"a\":1e999,\"b\":NaN,\"c\":-Infinity}}"
            .getBytes(StandardCharsets.UTF_8));
    assertThat(request.entity().get("k")).isEqualTo(new BigInteger("123456789012345678901"));
    assertThat(request.context().get("a")).isEqualTo(new BigDecimal("1e999"));
    assertThat((Double) request.context().get("b")).isNaN();
    assertThat(request.context().get("c")).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void malformedRequestsAreOneLineErrors() {
    assertThatThrownBy(() -> read("{\"service\":\"s\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("Cannot read the request: field 'entity' is missing");
    assertThatThrownBy(() -> read("[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("Cannot read the request: the body must be a JSON object, not an array");
    assertThatThrownBy(() -> read("{\"service\":\"s\",\"entities\":[{},{},{}]}".getBytes(StandardCharsets.UTF_8), 2))
        .isInstanceOf(RequestTooLargeException.class).hasMessageContaining("more than 2 entities");
  }

  private static Object read(byte[] body) throws IOException {
    return read(body, 1000);
  }

  private static Object read(byte[] body, int maxEntities) throws IOException {
    try (JsonParser parser = WireJson.FACTORY.createParser(body)) {
      return WireJson.readRequest(parser, maxEntities);
    }
  }

  private static FeatureVector vector(Random random) {
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, FeatureStatus> statuses = new LinkedHashMap<>();
    for (int i = random.nextInt(8); i > 0; i--) {
      String column = "view__f" + random.nextInt(100);
      values.put(column, featureValue(random, true));
      statuses.put(column, FeatureStatus.values()[random.nextInt(FeatureStatus.values().length)]);
    }
    Instant t = Instant.ofEpochSecond(random.nextInt(2_000_000_000),
        random.nextBoolean() ? random.nextInt(1000) * 1_000_000L : random.nextInt(1_000_000_000));
    return new FeatureVector(entity(random), t, values, statuses);
  }

  private static Map<String, Object> entity(Random random) {
    Map<String, Object> entity = new LinkedHashMap<>();
    entity.put("card_id", random.nextBoolean() ? STRINGS[random.nextInt(STRINGS.length)] : LONGS[random.nextInt(LONGS.length)]);
    if (random.nextBoolean()) {
      entity.put("merchant", "m" + random.nextLong());
    }
    return entity;
  }

  /** A served value: Long, Double, String, Boolean, a list of those, or null. */
  private static Object featureValue(Random random, boolean lists) {
    return switch (random.nextInt(lists ? 6 : 5)) {
      case 0 -> null;
      case 1 -> random.nextBoolean() ? LONGS[random.nextInt(LONGS.length)] : random.nextLong();
      case 2 -> random.nextBoolean() ? DOUBLES[random.nextInt(DOUBLES.length)]
          : Double.longBitsToDouble(random.nextLong());
      case 3 -> STRINGS[random.nextInt(STRINGS.length)] + random.nextInt(10);
      case 4 -> random.nextBoolean();
      default -> {
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          list.add(featureValue(random, false));
        }
        yield list;
      }
    };
  }

  /** A request value as the server reads it: the feature values, wide numbers, maps. */
  private static Object requestValue(Random random, int depth) {
    int kind = random.nextInt(depth > 0 ? 5 : 3);
    return switch (kind) {
      case 0 -> featureValue(random, false);
      case 1 -> new BigInteger(80 + random.nextInt(100), random).add(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE))
          .multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1));
      case 2 -> new BigDecimal(BigInteger.valueOf(1 + random.nextInt(1_000_000)), -400 - random.nextInt(50));
      case 3 -> {
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
          list.add(requestValue(random, depth - 1));
        }
        yield list;
      }
      default -> {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = random.nextInt(3); i > 0; i--) {
          map.put("k" + i, requestValue(random, depth - 1));
        }
        yield map;
      }
    };
  }
}
