package dev.lockstep.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.wire.WireJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The server's {@link ObjectMapper} over the wire codec's factory ({@link WireJson}: the HTTP API's
 * one JSON, shared with the remote client), and helpers for the routes outside the feature API.
 */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper(WireJson.FACTORY.copy());

  static final JsonFactory FACTORY = MAPPER.getFactory();

  private Json() {}

  /** {@code t} as the wire writes instants. */
  static String instant(Instant t) {
    return WireJson.instant(t);
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
