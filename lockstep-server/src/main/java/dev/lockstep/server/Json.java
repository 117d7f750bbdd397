package dev.lockstep.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server's one {@link ObjectMapper} and the streaming helpers around it: generic JSON values
 * (requests' entity, context and pushed events) and response buffers.
 *
 * <p>Integers are read as {@code Long} and other numbers as {@code Double}, so the numeric type a
 * caller meant survives; doubles are written in the shortest form that reads back to the same
 * bits. Non-finite doubles cannot be written as JSON numbers and are refused, never turned into
 * null or a string.
 */
final class Json {
  /** Requests need little nesting; a low bound keeps the recursive readers far from the stack's end. */
  static final int MAX_NESTING_DEPTH = 100;

  static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      // closing the request stream drains the rest of the body: leave that to the end of the
      // exchange, after the answer has gone out
      .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      // a feature value may be NaN or infinite (a sum past the double range): written as the bare
      // tokens NaN, Infinity, -Infinity, as Python's json module writes and reads them
      .disable(com.fasterxml.jackson.core.json.JsonWriteFeature.WRITE_NAN_AS_STRINGS)
      .build());

  static final JsonFactory FACTORY = MAPPER.getFactory();

  /** Milliseconds always written out, as every Lockstep instant has them. */
  private static final DateTimeFormatter MILLIS = new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

  private Json() {}

  /** {@code t} in ISO-8601 UTC with three fraction digits, or more if it has sub-millisecond digits. */
  static String instant(Instant t) {
    return t.getNano() % 1_000_000 == 0 ? MILLIS.format(t) : t.toString();
  }

  /**
   * Reads the value at the parser's current token: objects as ordered maps, arrays as lists,
   * integers as Long, other numbers as Double.
   *
   * @throws HttpProblem 400 for a number outside the range of a long or a double
   */
  static Object readValue(JsonParser parser, String field) throws IOException {
    return readValue(parser, field, false);
  }

  /**
   * As {@link #readValue(JsonParser, String)}; with {@code keepOutOfRange}, a number outside the
   * range of a long or a double is kept as a BigInteger or BigDecimal for the caller to judge (a
   * pushed event with such a value is rejected alone, not the whole push).
   */
  private static Object readValue(JsonParser parser, String field, boolean keepOutOfRange) throws IOException {
    JsonToken token = parser.currentToken();
    switch (token) {
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          if (keepOutOfRange) {
            return parser.getBigIntegerValue();
          }
          throw HttpProblem.badRequest("Cannot read the request: " + field + " holds "
              + abbreviate(parser.getText()) + ", which is outside the range of a 64-bit integer");
        }
        return parser.getLongValue();
      case VALUE_NUMBER_FLOAT:
        double value = parser.getDoubleValue();
        if (Double.isInfinite(value)) {
          if (keepOutOfRange) {
            return parser.getDecimalValue();
          }
          throw HttpProblem.badRequest("Cannot read the request: " + field + " holds "
              + abbreviate(parser.getText()) + ", which is outside the range of a double");
        }
        return value;
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      case START_ARRAY:
        List<Object> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          list.add(readValue(parser, field, keepOutOfRange));
        }
        return list;
      case START_OBJECT:
        return readObject(parser, field, keepOutOfRange);
      default:
        throw HttpProblem.badRequest("Cannot read the request: unexpected " + token + " in " + field);
    }
  }

  /** Reads the object at the parser's current token ({@code START_OBJECT}), keeping field order. */
  static Map<String, Object> readObject(JsonParser parser, String field) throws IOException {
    return readObject(parser, field, false);
  }

  /** A pushed event: as {@link #readObject}, numbers out of range kept for the event's own rejection. */
  static Map<String, Object> readEvent(JsonParser parser, String field) throws IOException {
    return readObject(parser, field, true);
  }

  private static Map<String, Object> readObject(JsonParser parser, String field, boolean keepOutOfRange)
      throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      map.put(name, readValue(parser, field, keepOutOfRange));
    }
    return map;
  }

  /**
   * Writes a feature value: null, Long (and the smaller integers), Double (and Float; NaN and the
   * infinities as the bare tokens {@code NaN}, {@code Infinity}, {@code -Infinity}), String,
   * Boolean, or a list of those.
   *
   * @throws IllegalStateException for any other type: a served vector must never be silently
   *     altered on the wire
   */
  static void writeFeatureValue(JsonGenerator generator, String column, Object value) throws IOException {
    if (value == null) {
      generator.writeNull();
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      generator.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      generator.writeNumber(((Number) value).doubleValue());
    } else if (value instanceof String) {
      generator.writeString((String) value);
    } else if (value instanceof Boolean) {
      generator.writeBoolean((Boolean) value);
    } else if (value instanceof List) {
      generator.writeStartArray();
      for (Object element : (List<?>) value) {
        writeFeatureValue(generator, column, element);
      }
      generator.writeEndArray();
    } else {
      throw new IllegalStateException("feature '" + column + "' holds a " + value.getClass().getName()
          + ", which is not a feature value type (Long, Double, String, List or null)");
    }
  }

  /** Writes any value leniently, for health details and echoed keys: unknown types as their string. */
  static void writeAny(JsonGenerator generator, Object value) throws IOException {
    if (value == null) {
      generator.writeNull();
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      generator.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      if (Double.isFinite(number)) {
        generator.writeNumber(number);
      } else {
        generator.writeString(Double.toString(number));
      }
    } else if (value instanceof Number) {
      generator.writeNumber(value.toString());
    } else if (value instanceof Boolean) {
      generator.writeBoolean((Boolean) value);
    } else if (value instanceof Instant) {
      generator.writeString(instant((Instant) value));
    } else if (value instanceof Map) {
      generator.writeStartObject();
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        generator.writeFieldName(String.valueOf(entry.getKey()));
        writeAny(generator, entry.getValue());
      }
      generator.writeEndObject();
    } else if (value instanceof Iterable) {
      generator.writeStartArray();
      for (Object element : (Iterable<?>) value) {
        writeAny(generator, element);
      }
      generator.writeEndArray();
    } else if (value instanceof Optional) {
      writeAny(generator, ((Optional<?>) value).orElse(null));
    } else if (value instanceof Enum) {
      generator.writeString(((Enum<?>) value).name());
    } else if (value instanceof Duration) {
      generator.writeString(value.toString());
    } else {
      generator.writeString(value.toString());
    }
  }

  /** Writes a JSON document into a byte array: {@code body} fills the generator. */
  static byte[] write(JsonBody body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator generator = FACTORY.createGenerator(out)) {
      body.write(generator);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // only the generator can fail: the target is memory
    }
    return out.toByteArray();
  }

  /** The text of a token or message, cut to a length that keeps an error message on one short line. */
  static String abbreviate(String text) {
    String line = text.replace('\n', ' ').replace('\r', ' ');
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }

  /** Fills a generator. */
  @FunctionalInterface
  interface JsonBody {
    void write(JsonGenerator generator) throws IOException;
  }
}
