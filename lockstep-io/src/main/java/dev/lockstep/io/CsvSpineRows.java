package dev.lockstep.io;

import dev.lockstep.spi.LookaheadIterator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The rows of a CSV spine: every field as its text, quotes undoubled; an empty field is null.
 * A malformed record, a record with another number of fields than the header, or text that is not
 * UTF-8 fails the read: a spine row cannot be skipped without changing the training set.
 */
final class CsvSpineRows extends LookaheadIterator<Object[]> {
  private final Path file;
  private final InputStream in;
  private final CsvTokenizer tokenizer;
  private final List<String> header;
  private long rowNumber;

  private CsvSpineRows(Path file, InputStream in, CsvTokenizer tokenizer, List<String> header) {
    this.file = file;
    this.in = in;
    this.tokenizer = tokenizer;
    this.header = header;
  }

  /**
   * Opens {@code file} and reads its header.
   *
   * @throws DataFileException if it cannot be read, is empty, or its header is malformed or names
   *     a column twice
   */
  static CsvSpineRows open(Path file) {
    InputStream in;
    try {
      in = Files.newInputStream(file);
    } catch (IOException e) {
      throw SourceFileReader.cannotRead(file, e);
    }
    try {
      CsvTokenizer tokenizer = new CsvTokenizer(in);
      if (!tokenizer.next()) {
        throw new DataFileException(
            "Cannot read " + file.getFileName() + ": it is empty (the first line must name the columns)");
      }
      if (tokenizer.malformed() != null) {
        throw new DataFileException(
            "Cannot read " + file.getFileName() + ": its header is malformed: " + tokenizer.malformed());
      }
      String[] names = new String[tokenizer.fieldCount()];
      for (int i = 0; i < names.length; i++) {
        names[i] = tokenizer.lenientText(i);
        for (int j = 0; j < i; j++) {
          if (names[j].equals(names[i])) {
            throw new DataFileException("Cannot read " + file.getFileName() + ": it has column '"
                + names[i] + "' twice (rename one of them)");
          }
        }
      }
      return new CsvSpineRows(file, in, tokenizer, List.of(names));
    } catch (IOException | RuntimeException e) {
      try {
        in.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof IOException io) {
        throw SourceFileReader.cannotRead(file, io);
      }
      throw (RuntimeException) e;
    }
  }

  List<String> header() {
    return header;
  }

  @Override
  protected Object[] computeNext() {
    try {
      return tokenizer.next() ? row(++rowNumber) : null;
    } catch (IOException e) {
      throw SourceFileReader.cannotRead(file, e);
    }
  }

  private Object[] row(long row) {
    CsvTokenizer t = tokenizer;
    if (t.malformed() != null) {
      throw failure(row, "column '" + header.get(Math.min(t.malformedField(), header.size() - 1))
          + "': " + t.malformed() + " (a '\"' inside a quoted value must be doubled)");
    }
    if (t.fieldCount() != header.size()) {
      throw failure(row, "it has " + t.fieldCount() + " fields but the header has " + header.size());
    }
    Object[] values = new Object[header.size()];
    for (int i = 0; i < values.length; i++) {
      if (!t.empty(i)) {
        try {
          values[i] = t.text(i);
        } catch (CharacterCodingException e) {
          throw failure(row, "column '" + header.get(i) + "' is not valid UTF-8");
        }
      }
    }
    return values;
  }

  private DataFileException failure(long row, String reason) {
    return new DataFileException("Cannot read " + file.getFileName() + ": row " + row + " is malformed: " + reason);
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
