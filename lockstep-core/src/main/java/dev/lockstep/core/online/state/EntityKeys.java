package dev.lockstep.core.online.state;

import dev.lockstep.api.ValueType;
import dev.lockstep.api.client.InvalidRequestException;
import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.Source;
import dev.lockstep.spi.EntityKey;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The stored bytes of an entity key: for each key column in order, a tag byte (1 long, 3 string)
 * then 8 big-endian bytes or the UTF-8 bytes with a 4-byte length. Stable: the online store and the
 * event log key by it.
 */
public final class EntityKeys {
  private EntityKeys() {}

  /** The key of an event of {@code source}, from its column values. */
  public static EntityKey ofEvent(Source source, int[] keyPositions, Object[] values) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(24);
    for (int position : keyPositions) {
      write(bytes, values[position]);
    }
    return EntityKey.of(bytes.toByteArray());
  }

  /** Positions of the source's key columns among its columns. */
  public static int[] keyPositions(Source source) {
    int[] positions = new int[source.keyColumns().size()];
    for (int k = 0; k < positions.length; k++) {
      String key = source.keyColumns().get(k);
      for (int i = 0; i < source.columns().size(); i++) {
        if (source.columns().get(i).name().equals(key)) {
          positions[k] = i;
        }
      }
    }
    return positions;
  }

  /**
   * The key of a requested entity, given by the entity's join-key names.
   *
   * @throws InvalidRequestException if a join key is missing or of the wrong type
   */
  public static EntityKey ofRequest(Entity entity, Source source, Map<String, Object> request) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(24);
    for (int k = 0; k < entity.joinKeys().size(); k++) {
      String name = entity.joinKeys().get(k);
      Object value = request.get(name);
      if (value == null) {
        throw new InvalidRequestException("Cannot fetch features: the entity has no '" + name
            + "' (entity '" + entity.name() + "' is keyed by " + entity.joinKeys() + ")");
      }
      ValueType type = source.column(source.keyColumns().get(k)).orElseThrow().type();
      write(bytes, coerce(name, type, value));
    }
    return EntityKey.of(bytes.toByteArray());
  }

  private static Object coerce(String name, ValueType type, Object value) {
    switch (type) {
      case STRING:
        if (value instanceof String) { // a number is not a string key: 42 and "42" are different entities
          return value;
        }
        break;
      case LONG:
        if (value instanceof Long || value instanceof Integer) {
          return ((Number) value).longValue();
        }
        if (value instanceof String text) {
          try {
            return Long.parseLong(text);
          } catch (NumberFormatException notALong) {
            break;
          }
        }
        break;
      case DOUBLE:
        if (value instanceof Number number) {
          return number.doubleValue();
        }
        break;
    }
    String text = String.valueOf(value);
    String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    shown = value instanceof String ? "'" + shown + "'" : shown;
    throw new InvalidRequestException("Cannot fetch features: key '" + name + "' is " + shown
        + ", not a " + type.yamlName() + (type == ValueType.STRING ? " (send it as a JSON string: \"" + shown + "\")"
            : type == ValueType.LONG ? " (send a whole number)" : " (send a number)"));
  }

  private static void write(ByteArrayOutputStream bytes, Object value) {
    if (value instanceof String text) {
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      bytes.write(3);
      bytes.writeBytes(ByteBuffer.allocate(4).putInt(utf8.length).array());
      bytes.writeBytes(utf8);
    } else if (value instanceof Double number) {
      bytes.write(2);
      bytes.writeBytes(ByteBuffer.allocate(8).putLong(Double.doubleToRawLongBits(number)).array());
    } else {
      bytes.write(1);
      bytes.writeBytes(ByteBuffer.allocate(8).putLong(((Number) value).longValue()).array());
    }
  }
}
