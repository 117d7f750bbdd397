package dev.lockstep.io;

import dev.lockstep.api.ValueType;
import dev.lockstep.spi.LookaheadIterator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads a source's CSV file (see {@link CsvTokenizer} for the syntax): the header names the
 * columns, every later record is a data row. An empty field is null. Values are parsed straight
 * from the bytes; only string values and reasons are decoded.
 */
final class CsvSourceReader extends LookaheadIterator<ParsedRecord> implements SourceRows {
  private final Path file;
  private final SourceBinding binding;
  private final InputStream in;
  private final CsvTokenizer tokenizer;
  private final TimestampParser times;
  private final NumberParser numbers = new NumberParser();
  private final String[] header;
  private final int eventTimeField;
  private final int ingestTimeField;
  private final int[] fields;
  private long rowNumber;

  /** @throws DataFileException if the file cannot be opened or lacks a declared column */
  CsvSourceReader(Path file, SourceBinding binding) {
    this.file = file;
    this.binding = binding;
    this.times = new TimestampParser(binding.source.zone());
    try {
      this.in = Files.newInputStream(file);
    } catch (IOException e) {
      throw SourceFileReader.cannotRead(file, e);
    }
    try {
      this.tokenizer = new CsvTokenizer(in);
      if (!tokenizer.next()) {
        throw new DataFileException(
            "Cannot read " + file.getFileName() + ": it is empty (the first line must name the columns)");
      }
      if (tokenizer.malformed() != null) {
        throw new DataFileException(
            "Cannot read " + file.getFileName() + ": its header is malformed: " + tokenizer.malformed());
      }
      header = new String[tokenizer.fieldCount()];
      for (int i = 0; i < header.length; i++) {
        header[i] = tokenizer.lenientText(i);
      }
      List<String> headerNames = List.of(header);
      binding.requireColumns(file, headerNames);
      eventTimeField = headerNames.indexOf(binding.eventTimeColumn);
      ingestTimeField =
          binding.ingestTimeColumn == null ? -1 : headerNames.indexOf(binding.ingestTimeColumn);
      fields = new int[binding.names.length];
      for (int i = 0; i < fields.length; i++) {
        fields[i] = headerNames.indexOf(binding.names[i]);
      }
    } catch (IOException e) {
      close();
      throw SourceFileReader.cannotRead(file, e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public String raw() {
    return tokenizer.raw();
  }

  @Override
  public String header() {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < header.length; i++) {
      String name = header[i];
      boolean quote = name.indexOf(',') >= 0 || name.indexOf('"') >= 0 || name.indexOf('\n') >= 0;
      line.append(i == 0 ? "" : ",").append(quote ? '"' + name.replace("\"", "\"\"") + '"' : name);
    }
    return line.toString();
  }

  @Override
  protected ParsedRecord computeNext() {
    try {
      return tokenizer.next() ? parse(++rowNumber) : null;
    } catch (IOException e) {
      throw SourceFileReader.cannotRead(file, e);
    }
  }

  private ParsedRecord parse(long row) {
    CsvTokenizer t = tokenizer;
    if (t.malformed() != null) {
      String column = t.malformedField() < header.length ? header[t.malformedField()] : "#" + (t.malformedField() + 1);
      return reject(row, SourceBinding.column(column, t.malformed() + " (a '\"' inside a quoted value must be doubled)"));
    }
    if (t.fieldCount() != header.length) {
      String reason = "row has " + t.fieldCount() + " fields but the header has " + header.length;
      if (t.fieldCount() < header.length) {
        reason += " (no value for column '" + header[t.fieldCount()] + "')";
      }
      return reject(row, reason);
    }
    if (t.empty(eventTimeField)) {
      return reject(row, binding.missingEventTime());
    }
    int status = times.parse(t.buffer(), t.start(eventTimeField), t.length(eventTimeField));
    if (status != TimestampParser.OK) {
      return reject(row, binding.badTime(binding.eventTimeColumn, status, t.lenientText(eventTimeField)));
    }
    long eventTime = times.millis();
    OptionalLong ingestTime = OptionalLong.empty();
    if (ingestTimeField >= 0) {
      if (t.empty(ingestTimeField)) {
        return reject(row, binding.missingIngestTime());
      }
      status = times.parse(t.buffer(), t.start(ingestTimeField), t.length(ingestTimeField));
      if (status != TimestampParser.OK) {
        return reject(row, binding.badTime(binding.ingestTimeColumn, status, t.lenientText(ingestTimeField)));
      }
      ingestTime = OptionalLong.of(times.millis());
    }
    Object[] values = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      int field = fields[i];
      if (t.empty(field)) {
        if (binding.keys[i]) {
          return reject(row, binding.missingKey(i));
        }
        continue;
      }
      ValueType type = binding.types[i];
      if (type == ValueType.STRING) {
        try {
          values[i] = t.text(field);
        } catch (CharacterCodingException e) {
          return reject(row, SourceBinding.column(binding.names[i], "its value is not valid UTF-8"));
        }
        continue;
      }
      int parsed =
          type == ValueType.LONG
              ? numbers.parseLong(t.buffer(), t.start(field), t.length(field))
              : numbers.parseDouble(t.buffer(), t.start(field), t.length(field));
      if (parsed == NumberParser.OK) {
        values[i] = type == ValueType.LONG ? (Object) numbers.longValue() : (Object) numbers.doubleValue();
      } else {
        String text = t.lenientText(field);
        String reason =
            parsed == NumberParser.OUT_OF_RANGE
                ? SourceBinding.outOfRange(type, text)
                : SourceBinding.notA(type, text);
        return reject(row, SourceBinding.column(binding.names[i], reason));
      }
    }
    return new ParsedRecord.Accepted(row, eventTime, ingestTime, values);
  }

  private ParsedRecord reject(long row, String reason) {
    return new ParsedRecord.Rejected(row, reason, tokenizer.raw());
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
