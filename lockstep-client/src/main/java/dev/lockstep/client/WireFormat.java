package dev.lockstep.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.lockstep.api.FeatureStatus;
import dev.lockstep.api.LockstepException;
import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.api.client.InvalidRequestException;
import dev.lockstep.api.client.PushResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON of the Lockstep HTTP API as the client writes and reads it (see {@code docs/http-api.md}).
 * Integers read as Long and other numbers as Double, so a vector comes back with the types the
 * server's feature client returned; doubles travel in their shortest exact form.
 */
final class WireFormat {
  static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      // a served double may be NaN or infinite, sent as the bare tokens NaN, Infinity, -Infinity
      .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      .build();

  private WireFormat() {}

  // ---- requests

  static byte[] request(FeatureRequest request) {
    return write(generator -> {
      generator.writeStartObject();
      selection(generator, request.service(), request.features());
      generator.writeFieldName("entity");
      writeValue(generator, request.entity(), "the entity");
      context(generator, request.context());
      generator.writeEndObject();
    });
  }

  static byte[] request(BatchFeatureRequest request) {
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

  static byte[] events(List<Map<String, Object>> events) {
    return write(generator -> {
      generator.writeStartArray();
      for (int i = 0; i < events.size(); i++) {
        writeValue(generator, events.get(i), "event " + i);
      }
      generator.writeEndArray();
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
   * Writes a request value: null, numbers, strings, booleans, instants (ISO-8601), lists and maps.
   *
   * @throws InvalidRequestException for a non-finite double or another type, which JSON cannot carry
   */
  private static void writeValue(JsonGenerator generator, Object value, String where) throws IOException {
    if (value == null) {
      generator.writeNull();
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      generator.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      if (!Double.isFinite(number)) {
        throw new InvalidRequestException("Cannot send " + where + ": it holds " + number
            + ", which JSON cannot carry (send null for a missing value)");
      }
      generator.writeNumber(number);
    } else if (value instanceof BigDecimal) {
      generator.writeNumber((BigDecimal) value);
    } else if (value instanceof BigInteger) {
      generator.writeNumber((BigInteger) value);
    } else if (value instanceof CharSequence || value instanceof Character) {
      generator.writeString(value.toString());
    } else if (value instanceof Boolean) {
      generator.writeBoolean((Boolean) value);
    } else if (value instanceof Instant) {
      generator.writeString(value.toString());
    } else if (value instanceof Map) {
      generator.writeStartObject();
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        generator.writeFieldName(String.valueOf(entry.getKey()));
        writeValue(generator, entry.getValue(), where);
      }
      generator.writeEndObject();
    } else if (value instanceof Iterable) {
      generator.writeStartArray();
      for (Object element : (Iterable<?>) value) {
        writeValue(generator, element, where);
      }
      generator.writeEndArray();
    } else {
      throw new InvalidRequestException("Cannot send " + where + ": it holds a " + value.getClass().getName()
          + " (send numbers, strings, booleans, instants or lists)");
    }
  }

  private static byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator generator = JSON.createGenerator(out)) {
      body.write(generator);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the target is memory: only the generator can fail
    }
    return out.toByteArray();
  }

  @FunctionalInterface
  private interface Body {
    void write(JsonGenerator generator) throws IOException;
  }

  // ---- responses

  static FeatureVector vector(byte[] body) throws IOException {
    try (JsonParser parser = JSON.createParser(body)) {
      expect(parser.nextToken(), JsonToken.START_OBJECT, "a vector");
      return readVector(parser);
    }
  }

  static List<FeatureVector> vectors(byte[] body) throws IOException {
    try (JsonParser parser = JSON.createParser(body)) {
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
        case "entity":
          expect(token, JsonToken.START_OBJECT, "'entity'");
          entity = readObject(parser);
          break;
        case "t":
          expect(token, JsonToken.VALUE_STRING, "'t'");
          t = instant(parser.getText());
          break;
        case "values":
          expect(token, JsonToken.START_OBJECT, "'values'");
          values = readObject(parser);
          break;
        case "statuses":
          expect(token, JsonToken.START_OBJECT, "'statuses'");
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String column = parser.currentName();
            expect(parser.nextToken(), JsonToken.VALUE_STRING, "the status of " + column);
            statuses.put(column, status(parser.getText()));
          }
          break;
        default:
          parser.skipChildren();
      }
    }
    if (t == null) {
      throw new IOException("a vector has no 't'");
    }
    return new FeatureVector(entity, t, values, statuses);
  }

  static PushResult pushResult(byte[] body) throws IOException {
    try (JsonParser parser = JSON.createParser(body)) {
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
            Map<String, Object> rejection = readObject(parser);
            if (!(rejection.get("index") instanceof Long) || !(rejection.get("reason") instanceof String)) {
              throw new IOException("a rejection lacks its index or reason: " + rejection);
            }
            rejected.add(new PushResult.Rejection(((Long) rejection.get("index")).intValue(),
                (String) rejection.get("reason")));
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

  /** The {@code error} of an error body, or a line of whatever else the body holds. */
  static String errorMessage(byte[] body) {
    try (JsonParser parser = JSON.createParser(body)) {
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

  private static Map<String, Object> readObject(JsonParser parser) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      map.put(name, readValue(parser));
    }
    return map;
  }

  private static Object readValue(JsonParser parser) throws IOException {
    switch (parser.currentToken()) {
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? (Object) parser.getDoubleValue() : (Object) parser.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      case START_ARRAY:
        List<Object> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          list.add(readValue(parser));
        }
        return list;
      case START_OBJECT:
        return readObject(parser);
      default:
        throw new IOException("unexpected " + parser.currentToken());
    }
  }

  private static Instant instant(String text) throws IOException {
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

  /** A client-side failure to read the server's answer, with what was being done. */
  static LockstepException unreadable(String operation, IOException e) {
    return new LockstepException("Cannot " + operation + ": the server's answer is not what this client reads ("
        + e.getMessage() + "; are client and server the same version?)", e);
  }
}
