package dev.lockstep.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.lockstep.api.ValueType;
import dev.lockstep.spi.LookaheadIterator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reads a source's JSON lines file: one object per line, parsed with Jackson's streaming parser.
 * Fields the source does not declare are skipped; a declared field that is absent or {@code null}
 * is null; if a field occurs twice in one object, the last occurrence counts. A line that is not
 * one JSON object is rejected.
 */
final class JsonLinesSourceReader extends LookaheadIterator<ParsedRecord> implements SourceRows {
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
  private static final int EVENT_TIME = 0;
  private static final int INGEST_TIME = 1;
  private static final int FIRST_COLUMN = 2;

  private final Path file;
  private final SourceBinding binding;
  private final InputStream in;
  private final ByteLines lines;
  private final TimestampParser times;
  private final Map<String, Integer> slots = new HashMap<>();
  private final String[] problems;
  private final boolean[] seen;
  private final long[] timeValues = new long[2];
  private Object[] values;
  private long lineNumber;

  JsonLinesSourceReader(Path file, SourceBinding binding) {
    this.file = file;
    this.binding = binding;
    this.times = new TimestampParser(binding.source.zone());
    slots.put(binding.eventTimeColumn, EVENT_TIME);
    if (binding.ingestTimeColumn != null) {
      slots.put(binding.ingestTimeColumn, INGEST_TIME);
    }
    for (int i = 0; i < binding.names.length; i++) {
      slots.put(binding.names[i], FIRST_COLUMN + i);
    }
    problems = new String[FIRST_COLUMN + binding.names.length];
    seen = new boolean[FIRST_COLUMN];
    try {
      in = Files.newInputStream(file);
    } catch (IOException e) {
      throw SourceFileReader.cannotRead(file, e);
    }
    lines = new ByteLines(in);
  }

  @Override
  public String raw() {
    return new String(lines.buffer(), lines.start(), lines.length(), StandardCharsets.UTF_8);
  }

  @Override
  protected ParsedRecord computeNext() {
    try {
      while (lines.next()) {
        lineNumber++;
        if (!blank(lines.buffer(), lines.start(), lines.length())) {
          return parse(lineNumber);
        }
      }
      return null;
    } catch (IOException e) {
      throw SourceFileReader.cannotRead(file, e);
    }
  }

  private ParsedRecord parse(long row) throws IOException {
    Arrays.fill(problems, null);
    Arrays.fill(seen, false);
    values = new Object[binding.names.length];
    try (JsonParser parser = JSON.createParser(lines.buffer(), lines.start(), lines.length())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return reject(row, "the line is not a JSON object");
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        Integer slot = slots.get(parser.currentName());
        token = parser.nextToken();
        if (slot == null) {
          parser.skipChildren();
        } else {
          read(slot, token, parser);
        }
      }
      if (parser.nextToken() != null) {
        return reject(row, "the line has more than one JSON value (write one object per line)");
      }
    } catch (JsonProcessingException e) {
      String message = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
      return reject(row, "the line is not valid JSON: " + message);
    }
    for (int slot = 0; slot < problems.length; slot++) {
      if (problems[slot] != null) {
        return reject(row, problems[slot]);
      }
      if (slot == EVENT_TIME && !seen[EVENT_TIME]) {
        return reject(row, binding.missingEventTime());
      }
      if (slot == INGEST_TIME && binding.ingestTimeColumn != null && !seen[INGEST_TIME]) {
        return reject(row, binding.missingIngestTime());
      }
      if (slot >= FIRST_COLUMN && binding.keys[slot - FIRST_COLUMN] && values[slot - FIRST_COLUMN] == null) {
        return reject(row, binding.missingKey(slot - FIRST_COLUMN));
      }
    }
    OptionalLong ingestTime =
        binding.ingestTimeColumn == null ? OptionalLong.empty() : OptionalLong.of(timeValues[INGEST_TIME]);
    return new ParsedRecord.Accepted(row, timeValues[EVENT_TIME], ingestTime, values);
  }

  private void read(int slot, JsonToken token, JsonParser parser) throws IOException {
    problems[slot] = null;
    if (slot < FIRST_COLUMN) {
      seen[slot] = false;
      String column = slot == EVENT_TIME ? binding.eventTimeColumn : binding.ingestTimeColumn;
      if (token == JsonToken.VALUE_NULL) {
        return;
      }
      int status;
      if (token == JsonToken.VALUE_STRING) {
        status = times.parse(parser.getText());
      } else if (token == JsonToken.VALUE_NUMBER_INT
          && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
        status = TimestampParser.OK;
        timeValues[slot] = parser.getLongValue();
        seen[slot] = true;
        return;
      } else if (token.isScalarValue()) {
        status = TimestampParser.NOT_A_TIMESTAMP;
      } else {
        problems[slot] = SourceBinding.column(column, kind(token, parser, "timestamp"));
        return;
      }
      if (status == TimestampParser.OK) {
        timeValues[slot] = times.millis();
        seen[slot] = true;
      } else {
        problems[slot] = binding.badTime(column, status, parser.getText());
      }
      return;
    }
    int column = slot - FIRST_COLUMN;
    ValueType type = binding.types[column];
    values[column] = null;
    if (token == JsonToken.VALUE_NULL) {
      return;
    }
    String problem = null;
    switch (type) {
      case LONG -> {
        if (token == JsonToken.VALUE_NUMBER_INT) {
          if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            problem = SourceBinding.outOfRange(type, parser.getText());
          } else {
            values[column] = parser.getLongValue();
          }
        } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
          problem = SourceBinding.notA(type, parser.getText());
        } else {
          problem = kind(token, parser, "long");
        }
      }
      case DOUBLE -> {
        if (token.isNumeric()) {
          double value = parser.getDoubleValue();
          if (Double.isInfinite(value)) {
            problem = SourceBinding.outOfRange(type, parser.getText());
          } else {
            values[column] = value;
          }
        } else {
          problem = kind(token, parser, "double");
        }
      }
      case STRING -> {
        if (token == JsonToken.VALUE_STRING) {
          values[column] = parser.getText();
        } else {
          problem = kind(token, parser, "string");
        }
      }
    }
    if (problem != null) {
      problems[slot] = SourceBinding.column(binding.names[column], problem);
    }
  }

  /** Why a JSON value of the wrong kind cannot be read as {@code expected}; skips containers. */
  private static String kind(JsonToken token, JsonParser parser, String expected) throws IOException {
    switch (token) {
      case VALUE_STRING:
        return "\"" + parser.getText() + "\" is a string, not a " + expected
            + " (write the number without quotes)";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return parser.getText() + " is a number, not a " + expected
            + " (quote it, or declare the column as "
            + (token == JsonToken.VALUE_NUMBER_INT ? "long" : "double") + ")";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return parser.getText() + " is a boolean, not a " + expected;
      case START_OBJECT:
        parser.skipChildren();
        return "an object is not a " + expected;
      default:
        parser.skipChildren();
        return "an array is not a " + expected;
    }
  }

  private ParsedRecord reject(long row, String reason) {
    return new ParsedRecord.Rejected(row, reason, raw());
  }

  private static boolean blank(byte[] bytes, int start, int length) {
    for (int p = start; p < start + length; p++) {
      byte b = bytes[p];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw SourceFileReader.cannotRead(file, e);
    }
  }
}
