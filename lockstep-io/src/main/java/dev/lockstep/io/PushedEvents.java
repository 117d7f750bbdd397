package dev.lockstep.io;

import dev.lockstep.api.ValueType;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceColumn;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * Converts events pushed as JSON-like maps (HTTP push, the Java client, tailed JSON lines) into a
 * source's typed columns, with the same rules as the file readers: the event time is an ISO-8601
 * instant (a zone-less one needs the source's zone) or epoch milliseconds; integers fit a long
 * column; any number fits a double column; a string column takes strings (numbers and booleans as
 * their text); a missing or null column is null; a missing key or event time rejects the event.
 * Unknown fields are ignored. Not thread-safe (it holds a timestamp parser's scratch space).
 */
public final class PushedEvents {
  private final Source source;
  private final TimestampParser times;

  /** A converted event, or the reason it was rejected. */
  public record Converted(long eventTimeMillis, Object[] values, String rejection) {
    public boolean accepted() {
      return rejection == null;
    }
  }

  public PushedEvents(Source source) {
    this.source = source;
    this.times = new TimestampParser(source.zone());
  }

  /** Converts one event; never throws for bad content. */
  public Converted convert(Map<String, Object> event) {
    if (event == null) {
      return reject("the event is not a JSON object");
    }
    Object time = event.get(source.eventTimeColumn());
    long eventTime;
    if (time == null) {
      return reject("the event-time column '" + source.eventTimeColumn() + "' is missing");
    } else if (time instanceof Long || time instanceof Integer) {
      eventTime = ((Number) time).longValue();
    } else if (time instanceof String text) {
      int status = times.parse(text);
      if (status != TimestampParser.OK) {
        return reject("column '" + source.eventTimeColumn() + "': "
            + TimestampParser.reason(status, text, "add an offset such as Z, or declare the source's zone"));
      }
      eventTime = times.millis();
    } else {
      return reject("column '" + source.eventTimeColumn() + "': " + time
          + " is not a timestamp (use an ISO-8601 string such as 2026-01-31T10:00:00Z or epoch milliseconds)");
    }
    Object[] values = new Object[source.columns().size()];
    for (int i = 0; i < values.length; i++) {
      SourceColumn column = source.columns().get(i);
      Object raw = event.get(column.name());
      if (raw == null) {
        if (source.keyColumns().contains(column.name())) {
          return reject("the key column '" + column.name() + "' is missing");
        }
        continue;
      }
      Object value = convert(column.type(), raw);
      if (value == null) {
        return reject("column '" + column.name() + "': " + describe(raw) + " is not a " + column.type().yamlName()
            + (column.type() == ValueType.STRING && raw instanceof Number ? " (quote it, or declare the column as long)"
                : column.type() == ValueType.DOUBLE && raw instanceof Number ? " (only finite numbers)" : ""));
      }
      values[i] = value;
    }
    return new Converted(eventTime, values, null);
  }

  private static Object convert(ValueType type, Object raw) {
    return switch (type) {
      // as JSON lines files are read: a number is not a string (42 and "42" would be different keys)
      case STRING -> raw instanceof String ? raw : null;
      case LONG -> {
        if (raw instanceof Long || raw instanceof Integer || raw instanceof Short) {
          yield ((Number) raw).longValue();
        }
        if (raw instanceof BigInteger big && big.bitLength() < 64) {
          yield big.longValue();
        }
        yield null;
      }
      case DOUBLE -> {
        // any finite number, as files are read: 1e400 is not Infinity
        double value = raw instanceof BigDecimal decimal ? decimal.doubleValue()
            : raw instanceof Number number ? number.doubleValue() : Double.NaN;
        yield Double.isFinite(value) ? (Object) value : null;
      }
    };
  }

  private static String describe(Object raw) {
    String text = String.valueOf(raw);
    text = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    return raw instanceof String ? "'" + text + "'" : text;
  }

  private static Converted reject(String reason) {
    return new Converted(0, null, reason);
  }
}
