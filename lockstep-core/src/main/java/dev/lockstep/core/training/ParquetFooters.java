package dev.lockstep.core.training;

import dev.lockstep.api.CorruptDataException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/**
 * Makes a Parquet file's footer canonical, so the same rows give the same bytes in every run.
 * parquet-mr collects each column chunk's encodings in a {@code HashSet} of enums, whose iteration
 * order follows identity hash codes and so changes from one JVM to the next. Sorting the lists
 * changes neither their length nor the footer's, so the footer is rewritten in place.
 */
final class ParquetFooters {
  private static final int TAIL = 8; // footer length (4, little-endian) + "PAR1"

  private ParquetFooters() {}

  static void canonicalize(Path file) {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = channel.size();
      ByteBuffer tail = ByteBuffer.allocate(TAIL).order(ByteOrder.LITTLE_ENDIAN);
      channel.read(tail, size - TAIL);
      int footerLength = tail.getInt(0);
      long footerStart = size - TAIL - footerLength;
      ByteBuffer footer = ByteBuffer.allocate(footerLength);
      while (footer.hasRemaining()) {
        channel.read(footer, footerStart + footer.position());
      }
      FileMetaData metadata = Util.readFileMetaData(new ByteArrayInputStream(footer.array()));
      for (RowGroup group : metadata.getRow_groups()) {
        for (ColumnChunk chunk : group.getColumns()) {
          chunk.getMeta_data().getEncodings().sort(Comparator.comparingInt(encoding -> encoding.getValue()));
        }
      }
      ByteArrayOutputStream rewritten = new ByteArrayOutputStream(footerLength);
      Util.writeFileMetaData(metadata, rewritten);
      if (rewritten.size() != footerLength) {
        throw new CorruptDataException(
            "Cannot canonicalize " + file + ": the footer changed length (" + footerLength + " to " + rewritten.size() + ")");
      }
      channel.write(ByteBuffer.wrap(rewritten.toByteArray()), footerStart);
      channel.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot finish " + file + ": " + e.getMessage(), e);
    }
  }
}
