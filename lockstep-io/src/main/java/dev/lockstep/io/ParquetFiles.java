package dev.lockstep.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Opens local Parquet files through NIO ({@link LocalInputFile}) and a plain configuration, so that
 * reading starts no Hadoop file system.
 */
final class ParquetFiles {
  /** A converter that is never called: values are taken straight from the column reader. */
  static final PrimitiveConverter UNUSED = new PrimitiveConverter() {};

  /**
   * The record converter {@code ColumnReadStoreImpl} wants, for a flat schema whose field {@code i}
   * goes to {@code fields[i]}; only string columns use theirs (see {@link StringConverter}).
   */
  static GroupConverter converter(PrimitiveConverter[] fields) {
    return new GroupConverter() {
      @Override
      public Converter getConverter(int fieldIndex) {
        return fields[fieldIndex];
      }

      @Override
      public void start() {}

      @Override
      public void end() {}
    };
  }

  private ParquetFiles() {}

  /** @throws DataFileException if {@code file} cannot be opened as Parquet */
  static ParquetFileReader open(Path file) {
    try {
      ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
      return ParquetFileReader.open(new LocalInputFile(file), options);
    } catch (IOException e) {
      throw SourceFileReader.cannotRead(file, e);
    } catch (RuntimeException e) {
      throw new DataFileException(
          "Cannot read " + file.getFileName() + ": it is not a Parquet file (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The Parquet files of a spine: {@code path} itself, or the {@code .parquet} files directly in
   * the directory {@code path} in name order, skipping hidden files ({@code .} or {@code _}).
   *
   * @throws DataFileException if there are none
   */
  static List<Path> dataFiles(Path path) {
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(path)) {
      files =
          listing
              .filter(file -> {
                String name = file.getFileName().toString();
                return name.endsWith(".parquet") && !name.startsWith(".") && !name.startsWith("_");
              })
              .sorted()
              .collect(Collectors.toList());
    } catch (IOException e) {
      throw SourceFileReader.cannotRead(path, e);
    }
    if (files.isEmpty()) {
      throw new DataFileException(
          "Cannot read " + path.getFileName() + ": the directory has no .parquet file");
    }
    return files;
  }

  /** The file's top-level column names, for messages. */
  static List<String> columnNames(MessageType schema) {
    return schema.getFields().stream().map(Type::getName).collect(Collectors.toList());
  }
}
