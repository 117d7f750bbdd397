package dev.lockstep.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroup;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/** Writes and reads Parquet test files with parquet-hadoop's example object model. */
public final class ParquetTestFiles {
  private ParquetTestFiles() {}

  static MessageType schema(String text) {
    return MessageTypeParser.parseMessageType(text);
  }

  static Group row(MessageType schema) {
    return new SimpleGroup(schema);
  }

  /**
   * Writes {@code rows}; a small {@code rowGroupBytes} makes several row groups; {@code dictionary}
   * chooses whether values may be dictionary-encoded.
   */
  static void write(Path file, MessageType schema, List<Group> rows, long rowGroupBytes, boolean dictionary) {
    try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
        .withConf(new PlainParquetConfiguration())
        .withType(schema)
        .withDictionaryEncoding(dictionary)
        .withRowGroupSize(rowGroupBytes)
        .withPageRowCountLimit(100)
        .withMinRowCountForPageSizeCheck(10)
        .build()) {
      for (Group row : rows) {
        writer.write(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(Path file, MessageType schema, List<Group> rows, long rowGroupBytes) {
    write(file, schema, rows, rowGroupBytes, true);
  }

  static void write(Path file, MessageType schema, List<Group> rows) {
    write(file, schema, rows, 128L << 20, true);
  }

  /** Whether the first row group's column {@code name} is dictionary-encoded. */
  static boolean dictionaryEncoded(Path file, String name) {
    try (org.apache.parquet.hadoop.ParquetFileReader reader = ParquetFiles.open(file)) {
      return reader.getFooter().getBlocks().get(0).getColumns().stream()
          .filter(chunk -> chunk.getPath().toDotString().equals(name))
          .anyMatch(chunk -> chunk.getEncodings().stream().anyMatch(org.apache.parquet.column.Encoding::usesDictionary));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every row of {@code file}, read back by parquet-hadoop. */
  public static List<Group> read(Path file) {
    List<Group> rows = new ArrayList<>();
    try (ParquetReader<Group> reader = new ParquetReader.Builder<Group>(
        new LocalInputFile(file), new PlainParquetConfiguration()) {
          @Override
          protected ReadSupport<Group> getReadSupport() {
            return new GroupReadSupport();
          }
        }.build()) {
      for (Group row = reader.read(); row != null; row = reader.read()) {
        rows.add(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }
}
