package dev.lockstep.ops.parity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.FeatureStatus;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of a logged feature vector's entity, values and statuses: one object per map, keys in
 * order, with types that read back exactly.
 *
 * <ul>
 *   <li>{@code Long} (and other integers): a JSON integer; reads back as a {@code Long}.
 *   <li>{@code Double}: the shortest decimal that reads back to the same bits, always with a
 *       {@code .} or an exponent ({@code 1.0}, {@code 0.30000000000000004}, {@code 1.0E20}), so it
 *       reads back as a {@code Double}; {@code NaN}, {@code Infinity} and {@code -Infinity} are
 *       written as those bare tokens (as Python's {@code json} module does).
 *   <li>{@code String}, {@code List} and null as themselves.
 * </ul>
 */
final class VectorJson {
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  private VectorJson() {}

  /** {@code values} as a JSON object. */
  static String write(Map<String, ?> values) {
    StringWriter text = new StringWriter();
    try (JsonGenerator out = JSON.createGenerator(text)) {
      out.writeStartObject();
      for (Map.Entry<String, ?> entry : values.entrySet()) {
        out.writeFieldName(entry.getKey());
        writeValue(out, entry.getValue());
      }
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write a feature vector as JSON", e);
    }
    return text.toString();
  }

  private static void writeValue(JsonGenerator out, Object value) throws IOException {
    if (value == null) {
      out.writeNull();
    } else if (value instanceof Double number) {
      out.writeNumber(number);
    } else if (value instanceof Float number) {
      out.writeNumber(number.doubleValue());
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte) {
      out.writeNumber(((Number) value).longValue());
    } else if (value instanceof List<?> list) {
      out.writeStartArray();
      for (Object element : list) {
        writeValue(out, element);
      }
      out.writeEndArray();
    } else if (value instanceof FeatureStatus status) {
      out.writeString(status.name());
    } else {
      out.writeString(value.toString());
    }
  }

  /**
   * The object {@link #write} wrote.
   *
   * @throws CorruptDataException if {@code json} is not such an object
   */
  static Map<String, Object> read(String json) {
    try (JsonParser in = JSON.createParser(json)) {
      if (in.nextToken() != JsonToken.START_OBJECT) {
        throw new CorruptDataException("Cannot read a logged feature vector: not a JSON object");
      }
      Map<String, Object> values = new LinkedHashMap<>();
      while (in.nextToken() == JsonToken.FIELD_NAME) {
        String name = in.currentName();
        in.nextToken();
        values.put(name, readValue(in));
      }
      return values;
    } catch (IOException e) {
      throw new CorruptDataException("Cannot read a logged feature vector: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }

  /** Statuses by column, from the object {@link #write} wrote. */
  static Map<String, FeatureStatus> readStatuses(String json) {
    Map<String, FeatureStatus> statuses = new LinkedHashMap<>();
    read(json).forEach((column, status) -> {
      try {
        statuses.put(column, FeatureStatus.valueOf(String.valueOf(status)));
      } catch (IllegalArgumentException e) {
        throw new CorruptDataException("Cannot read a logged feature vector: unknown status '" + status
            + "' of " + column);
      }
    });
    return statuses;
  }

  private static Object readValue(JsonParser in) throws IOException {
    JsonToken token = in.currentToken();
    return switch (token) {
      case VALUE_NULL -> null;
      case VALUE_NUMBER_INT -> in.getLongValue();
      case VALUE_NUMBER_FLOAT -> in.getDoubleValue();
      case VALUE_STRING -> in.getText();
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        while (in.nextToken() != JsonToken.END_ARRAY) {
          list.add(readValue(in));
        }
        yield list;
      }
      default -> throw new CorruptDataException("Cannot read a logged feature vector: unexpected " + token);
    };
  }
}
