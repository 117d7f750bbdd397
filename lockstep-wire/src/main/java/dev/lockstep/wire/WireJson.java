package dev.lockstep.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.lockstep.api.FeatureStatus;
import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.api.client.InvalidRequestException;
import dev.lockstep.api.client.PushResult;
import dev.lockstep.api.client.RequestTooLargeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON of the Lockstep HTTP API ({@code docs/http-api.md}): the one codec the server and the
 * remote client both use, so what one writes the other reads back equal.
 *
 * <p><b>Numbers.</b> An integer reads as a {@code Long}, or as a {@code BigInteger} when it is
 * wider than 64 bits; any other number as a {@code Double}, or as a {@code BigDecimal} when it is
 * beyond the range of a double; the bare tokens {@code NaN}, {@code Infinity} and {@code -Infinity}
 * as the doubles they name (Python's {@code json} writes them so). Reading never refuses a number
 * nor changes its value: whoever uses it judges it (an entity key, a request field, an event's
 * column), the same way the embedded client does. Doubles are written in the shortest form that
 * reads back to the same bits.
 *
 * <p><b>Instants</b> are ISO-8601 UTC strings with three fraction digits, more when they have
 * sub-millisecond digits.
 *
 * <p>Thread-safe: stateless, and {@link #FACTORY} is immutable.
 */
public final class WireJson {
  /** Requests need little nesting; a low bound keeps recursive readers far from the stack's end. */
  public static final int MAX_NESTING_DEPTH = 100;

  /** Parsers and generators configured as this class describes. */
  public static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      // the server closes the request stream itself, after the answer has gone out
      .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
      .build();

  private static final DateTimeFormatter MILLIS = new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

  private WireJson() {}

  // ---- values

  /** {@code t} in ISO-8601 UTC with three fraction digits, or more if it has sub-millisecond digits. */
  public static String instant(Instant t) {
    return t.getNano() % 1_000_000 == 0 ? MILLIS.format(t) : t.toString();
  }

  /**
   * Reads the value at the parser's current token by the number rule of this class: objects as
   * ordered maps, arrays as lists.
   *
   * @param where what holds the value, for messages ("field 'entity'")
   */
  public static Object readValue(JsonParser parser, String where) throws IOException {
    JsonToken token = parser.currentToken();
    switch (token) {
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? (Object) parser.getBigIntegerValue() : (Object) parser.getLongValue();
      case VALUE_NUMBER_FLOAT:
        if (parser.isNaN()) {
          return parser.getDoubleValue();
        }
        double value = parser.getDoubleValue();
        return Double.isInfinite(value) ? (Object) parser.getDecimalValue() : (Object) value;
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      case START_ARRAY:
        List<Object> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          list.add(readValue(parser, where));
        }
        return list;
      case START_OBJECT:
        return readObject(parser, where);
      default:
        throw new InvalidRequestException("Cannot read the request: unexpected " + token + " in " + where);
    }
  }

  /** Reads the object at the parser's current token ({@code START_OBJECT}), keeping field order. */
  public static Map<String, Object> readObject(JsonParser parser, String where) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      map.put(name, readValue(parser, where));
    }
    return map;
  }

  /**
   * Writes a value of a request, an event or a vector: null, the integers, doubles and floats (NaN
   * and the infinities as bare tokens), BigInteger, BigDecimal, strings, booleans, instants, maps and
   * iterables of those.
   *
   * @throws InvalidRequestException for any other type, which JSON cannot carry
   */
  public static void writeValue(JsonGenerator generator, Object value, String where) throws IOException {
    if (value == null) {
      generator.writeNull();
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      generator.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      generator.writeNumber(((Number) value).doubleValue());
    } else if (value instanceof BigInteger integer) {
      generator.writeNumber(integer);
    } else if (value instanceof BigDecimal decimal) {
      generator.writeNumber(decimal);
    } else if (value instanceof CharSequence || value instanceof Character) {
      generator.writeString(value.toString());
    } else if (value instanceof Boolean bool) {
      generator.writeBoolean(bool);
    } else if (value instanceof Instant instant) {
      generator.writeString(instant(instant));
    } else if (value instanceof Map<?, ?> map) {
      generator.writeStartObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        generator.writeFieldName(String.valueOf(entry.getKey()));
        writeValue(generator, entry.getValue(), where);
      }
      generator.writeEndObject();
    } else if (value instanceof Iterable<?> iterable) {
      generator.writeStartArray();
      for (Object element : iterable) {
        writeValue(generator, element, where);
      }
      generator.writeEndArray();
    } else {
      throw new InvalidRequestException("Cannot send " + where + ": it holds a " + value.getClass().getSimpleName()
          + " (send numbers, strings, booleans, instants, lists or maps)");
    }
  }

  /** Writes a JSON document into a byte array: {@code body} fills the generator. */
  public static byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator generator = FACTORY.createGenerator(out)) {
      body.write(generator);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the target is memory: only the generator can fail
    }
    return out.toByteArray();
  }

  /** Fills a generator. */
  @FunctionalInterface
  public interface Body {
    void write(JsonGenerator generator) throws IOException;
  }

  // ---- feature requests

  /** {@code {"service": ..., "entity": {...}, "context": {...}}}, or {@code "features"} for a list. */
  public static byte[] request(FeatureRequest request) {
    return write(generator -> {
      generator.writeStartObject();
      selection(generator, request.service(), request.features());
      generator.writeFieldName("entity");
      writeValue(generator, request.entity(), "the entity");
      context(generator, request.context());
      generator.writeEndObject();
    });
  }

  /** {@code {"service": ..., "entities": [...], "context": {...}}}. */
  public static byte[] request(BatchFeatureRequest request) {
    return write(generator -> {
      generator.writeStartObject();
      selection(generator, request.service(), request.features());
      generator.writeArrayFieldStart("entities");
      for (Map<String, Object> entity : request.entities()) {
        writeValue(generator, entity, "an entity");
      }
      generator.writeEndArray();
      context(generator, request.context());
      generator.writeEndObject();
    });
  }

  private static void selection(JsonGenerator generator, Optional<String> service, List<String> features)
      throws IOException {
    if (service.isPresent()) {
      generator.writeStringField("service", service.get());
    } else {
      generator.writeArrayFieldStart("features");
      for (String feature : features) {
        generator.writeString(feature);
      }
      generator.writeEndArray();
    }
  }

  private static void context(JsonGenerator generator, Map<String, Object> context) throws IOException {
    if (!context.isEmpty()) {
      generator.writeFieldName("context");
      writeValue(generator, context, "the context");
    }
  }

  /**
   * Reads a feature request in one streaming pass: a {@link FeatureRequest} for {@code "entity"}, a
   * {@link BatchFeatureRequest} for {@code "entities"}. Unknown fields are skipped; a null field
   * counts as absent.
   *
   * @throws InvalidRequestException naming the field that is missing or of the wrong type
   * @throws RequestTooLargeException if the batch holds more than {@code maxEntities}, before the
   *     rest is read
   * @throws IOException if the body is not well-formed JSON
   */
  public static Object readRequest(JsonParser parser, int maxEntities) throws IOException {
    Optional<String> service = Optional.empty();
    List<String> features = List.of();
    Map<String, Object> entity = null;
    List<Map<String, Object>> entities = null;
    Map<String, Object> context = Map.of();
    expectObjectBody(parser);
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken token = parser.nextToken();
      if (token == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (field) {
        case "service" -> service = Optional.of(string(parser, "field 'service'"));
        case "features" -> features = strings(parser);
        case "entity" -> entity = object(parser, "field 'entity'",
            "an object of join keys such as {\"card_id\": \"c-17\"}");
        case "entities" -> entities = objects(parser, maxEntities);
        case "context" -> context = object(parser, "field 'context'", "an object of request fields");
        default -> parser.skipChildren();
      }
    }
    expectEnd(parser);
    if (entity != null && entities != null) {
      throw new InvalidRequestException("Cannot read the request: it has both 'entity' and 'entities' "
          + "(use 'entity' for one entity, 'entities' for a batch)");
    }
    if (entity == null && entities == null) {
      throw new InvalidRequestException("Cannot read the request: field 'entity' is missing "
          + "(give the join keys, e.g. \"entity\": {\"card_id\": \"c-17\"}, or 'entities' for a batch)");
    }
    try {
      return entity != null
          ? new FeatureRequest(service, features, entity, context)
          : new BatchFeatureRequest(service, features, entities, context);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage());
    }
  }

  /** Moves to the body's first token, which must open an object. */
  public static void expectObjectBody(JsonParser parser) throws IOException {
    JsonToken token = parser.nextToken();
    if (token == null) {
      throw new InvalidRequestException("Cannot read the request: the body is empty (send a JSON object)");
    }
    if (token != JsonToken.START_OBJECT) {
      throw new InvalidRequestException("Cannot read the request: the body must be a JSON object, not "
          + describe(token));
    }
  }

  /** Checks that nothing but whitespace follows the body's value. */
  public static void expectEnd(JsonParser parser) throws IOException {
    JsonToken token = parser.nextToken();
    if (token != null) {
      throw new InvalidRequestException("Cannot read the request: unexpected " + describe(token)
          + " after the JSON object at line " + parser.currentLocation().getLineNr());
    }
  }

  private static String string(JsonParser parser, String what) throws IOException {
    if (parser.currentToken() != JsonToken.VALUE_STRING) {
      throw wrongType(what, "a string", parser.currentToken());
    }
    return parser.getText();
  }

  private static List<String> strings(JsonParser parser) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw wrongType("field 'features'", "an array of feature references such as [\"card_txn:txn_count_5m\"]",
          parser.currentToken());
    }
    List<String> strings = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      strings.add(string(parser, "element " + strings.size() + " of field 'features'"));
    }
    return strings;
  }

  private static Map<String, Object> object(JsonParser parser, String what, String expected) throws IOException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      throw wrongType(what, expected, parser.currentToken());
    }
    return readObject(parser, what);
  }

  private static List<Map<String, Object>> objects(JsonParser parser, int maxEntities) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw wrongType("field 'entities'", "an array of join-key objects", parser.currentToken());
    }
    List<Map<String, Object>> objects = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (objects.size() == maxEntities) {
        throw new RequestTooLargeException("Cannot get features: the batch holds more than " + maxEntities
            + " entities, the most one request may (split it into smaller batches)");
      }
      objects.add(object(parser, "element " + objects.size() + " of field 'entities'", "an object of join keys"));
    }
    return objects;
  }

  /** A 400 saying that {@code what} must be {@code expected}, not what {@code actual} is. */
  public static InvalidRequestException wrongType(String what, String expected, JsonToken actual) {
    return new InvalidRequestException("Cannot read the request: " + what + " must be " + expected
        + ", not " + describe(actual));
  }

  /** A JSON token as a user would name it. */
  public static String describe(JsonToken token) {
    if (token == null) {
      return "the end of the body";
    }
    return switch (token) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.toString();
    };
  }

  // ---- vectors

  /** {@code {"entity": {...}, "t": "...", "values": {...}, "statuses": {...}}}, columns in order. */
  public static byte[] vector(FeatureVector vector) {
    return write(generator -> writeVector(generator, vector));
  }

  /** {@code {"t": "...", "vectors": [...]}} in request order; no {@code t} for an empty batch. */
  public static byte[] vectors(List<FeatureVector> vectors) {
    return write(generator -> {
      generator.writeStartObject();
      if (!vectors.isEmpty()) {
        generator.writeStringField("t", instant(vectors.get(0).t()));
      }
      generator.writeArrayFieldStart("vectors");
      for (FeatureVector vector : vectors) {
        writeVector(generator, vector);
      }
      generator.writeEndArray();
      generator.writeEndObject();
    });
  }

  /**
   * Writes one vector.
   *
   * @throws IllegalStateException if a value is not a feature value (Long, Double, String, Boolean,
   *     a list of those, or null): a served vector is never silently altered on the wire
   */
  public static void writeVector(JsonGenerator generator, FeatureVector vector) throws IOException {
    generator.writeStartObject();
    generator.writeFieldName("entity");
    writeValue(generator, vector.entity(), "the entity");
    generator.writeStringField("t", instant(vector.t()));
    generator.writeObjectFieldStart("values");
    for (Map.Entry<String, Object> entry : vector.values().entrySet()) {
      generator.writeFieldName(entry.getKey());
      writeFeatureValue(generator, entry.getKey(), entry.getValue());
    }
    generator.writeEndObject();
    generator.writeObjectFieldStart("statuses");
    for (Map.Entry<String, FeatureStatus> entry : vector.statuses().entrySet()) {
      generator.writeStringField(entry.getKey(), entry.getValue().name());
    }
    generator.writeEndObject();
    generator.writeEndObject();
  }

  private static void writeFeatureValue(JsonGenerator generator, String column, Object value) throws IOException {
    checkFeatureValue(column, value);
    writeValue(generator, value, "feature '" + column + "'");
  }

  private static void checkFeatureValue(String column, Object value) {
    if (value == null || value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte || value instanceof Double || value instanceof Float || value instanceof String
        || value instanceof Boolean) {
      return;
    }
    if (value instanceof List<?> list) {
      list.forEach(element -> checkFeatureValue(column, element));
      return;
    }
    throw new IllegalStateException("feature '" + column + "' holds a " + value.getClass().getName()
        + ", which is not a feature value type (Long, Double, String, List or null)");
  }

  /** The vector {@link #vector(FeatureVector)} wrote. */
  public static FeatureVector readVector(byte[] body) throws IOException {
    try (JsonParser parser = FACTORY.createParser(body)) {
      expect(parser.nextToken(), JsonToken.START_OBJECT, "a vector");
      return readVector(parser);
    }
  }

  /** The vectors {@link #vectors(List)} wrote. */
  public static List<FeatureVector> readVectors(byte[] body) throws IOException {
    try (JsonParser parser = FACTORY.createParser(body)) {
      expect(parser.nextToken(), JsonToken.START_OBJECT, "a batch of vectors");
      List<FeatureVector> vectors = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken token = parser.nextToken();
        if (field.equals("vectors")) {
          expect(token, JsonToken.START_ARRAY, "'vectors'");
          vectors = new ArrayList<>();
          while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            expect(token, JsonToken.START_OBJECT, "a vector");
            vectors.add(readVector(parser));
          }
        } else {
          parser.skipChildren();
        }
      }
      if (vectors == null) {
        throw new IOException("the answer has no 'vectors'");
      }
      return vectors;
    }
  }

  private static FeatureVector readVector(JsonParser parser) throws IOException {
    Map<String, Object> entity = Map.of();
    Instant t = null;
    Map<String, Object> values = Map.of();
    Map<String, FeatureStatus> statuses = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken token = parser.nextToken();
      switch (field) {
        case "entity" -> {
          expect(token, JsonToken.START_OBJECT, "'entity'");
          entity = readObject(parser, "'entity'");
        }
        case "t" -> {
          expect(token, JsonToken.VALUE_STRING, "'t'");
          t = parseInstant(parser.getText());
        }
        case "values" -> {
          expect(token, JsonToken.START_OBJECT, "'values'");
          values = readObject(parser, "'values'");
        }
        case "statuses" -> {
          expect(token, JsonToken.START_OBJECT, "'statuses'");
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String column = parser.currentName();
            expect(parser.nextToken(), JsonToken.VALUE_STRING, "the status of " + column);
            statuses.put(column, status(parser.getText()));
          }
        }
        default -> parser.skipChildren();
      }
    }
    if (t == null) {
      throw new IOException("a vector has no 't'");
    }
    return new FeatureVector(entity, t, values, statuses);
  }

  // ---- pushes

  /** A JSON array of events. */
  public static byte[] events(List<Map<String, Object>> events) {
    return write(generator -> {
      generator.writeStartArray();
      for (int i = 0; i < events.size(); i++) {
        writeValue(generator, events.get(i), "event " + i);
      }
      generator.writeEndArray();
    });
  }

  /** {@code {"accepted": n, "rejected": [{"index": i, "reason": "..."}, ...]}}. */
  public static byte[] pushResult(PushResult result) {
    return write(generator -> {
      generator.writeStartObject();
      generator.writeNumberField("accepted", result.accepted());
      generator.writeArrayFieldStart("rejected");
      for (PushResult.Rejection rejection : result.rejected()) {
        generator.writeStartObject();
        generator.writeNumberField("index", rejection.index());
        generator.writeStringField("reason", rejection.reason());
        generator.writeEndObject();
      }
      generator.writeEndArray();
      generator.writeEndObject();
    });
  }

  /** The result {@link #pushResult(PushResult)} wrote. */
  public static PushResult readPushResult(byte[] body) throws IOException {
    try (JsonParser parser = FACTORY.createParser(body)) {
      expect(parser.nextToken(), JsonToken.START_OBJECT, "a push result");
      int accepted = -1;
      List<PushResult.Rejection> rejected = new ArrayList<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken token = parser.nextToken();
        if (field.equals("accepted")) {
          expect(token, JsonToken.VALUE_NUMBER_INT, "'accepted'");
          accepted = parser.getIntValue();
        } else if (field.equals("rejected")) {
          expect(token, JsonToken.START_ARRAY, "'rejected'");
          while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            expect(token, JsonToken.START_OBJECT, "a rejection");
            Map<String, Object> rejection = readObject(parser, "a rejection");
            if (!(rejection.get("index") instanceof Long index) || !(rejection.get("reason") instanceof String reason)) {
              throw new IOException("a rejection lacks its index or reason: " + rejection);
            }
            rejected.add(new PushResult.Rejection(index.intValue(), reason));
          }
        } else {
          parser.skipChildren();
        }
      }
      if (accepted < 0) {
        throw new IOException("the answer has no 'accepted'");
      }
      return new PushResult(accepted, rejected);
    }
  }

  // ---- errors

  /** {@code {"error": "<one line>", "status": code}}. */
  public static byte[] error(int status, String message) {
    return write(generator -> {
      generator.writeStartObject();
      generator.writeStringField("error", message);
      generator.writeNumberField("status", status);
      generator.writeEndObject();
    });
  }

  /** The {@code error} of an error body, or a line of whatever else the body holds. */
  public static String errorMessage(byte[] body) {
    try (JsonParser parser = FACTORY.createParser(body)) {
      if (parser.nextToken() == JsonToken.START_OBJECT) {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          JsonToken token = parser.nextToken();
          if (field.equals("error") && token == JsonToken.VALUE_STRING) {
            return parser.getText();
          }
          parser.skipChildren();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not our JSON (a proxy's page?): show its beginning instead
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      return "(no message)";
    }
    String line = text.lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  private static Instant parseInstant(String text) throws IOException {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IOException("'t' is not an ISO-8601 instant: " + text, e);
    }
  }

  private static FeatureStatus status(String text) throws IOException {
    try {
      return FeatureStatus.valueOf(text);
    } catch (IllegalArgumentException e) {
      throw new IOException("unknown feature status '" + text + "'", e);
    }
  }

  private static void expect(JsonToken actual, JsonToken expected, String what) throws IOException {
    if (actual != expected) {
      throw new IOException(what + " should be " + expected + ", not " + actual);
    }
  }
}
