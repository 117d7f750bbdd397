package dev.lockstep.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.ValueType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetDatasetWriterTest {
  private static final List<OutputColumn> ALL_TYPES = List.of(
      new OutputColumn("s", ColumnType.STRING, false),
      new OutputColumn("b", ColumnType.BINARY, false),
      new OutputColumn("l", ColumnType.LONG, false),
      new OutputColumn("i", ColumnType.INT, false),
      new OutputColumn("d", ColumnType.DOUBLE, false),
      new OutputColumn("f", ColumnType.FLOAT, false),
      new OutputColumn("z", ColumnType.BOOLEAN, false),
      new OutputColumn("t_ms", ColumnType.TIMESTAMP_MILLIS_UTC, false),
      new OutputColumn("t_us", ColumnType.TIMESTAMP_MICROS_UTC, false),
      new OutputColumn("t_ns", ColumnType.TIMESTAMP_NANOS_UTC, false),
      new OutputColumn("w_ms", ColumnType.TIMESTAMP_MILLIS_LOCAL, false),
      new OutputColumn("w_us", ColumnType.TIMESTAMP_MICROS_LOCAL, false),
      new OutputColumn("w_ns", ColumnType.TIMESTAMP_NANOS_LOCAL, false),
      new OutputColumn("day", ColumnType.DATE, false),
      OutputColumn.feature("longs", ValueType.LONG, true),
      OutputColumn.feature("doubles", ValueType.DOUBLE, true),
      OutputColumn.feature("strings", ValueType.STRING, true));

  private static final String ALL_TYPES_SCHEMA = """
      message training_set {
        optional binary s (STRING);
        optional binary b;
        optional int64 l;
        optional int32 i;
        optional double d;
        optional float f;
        optional boolean z;
        optional int64 t_ms (TIMESTAMP(MILLIS,true));
        optional int64 t_us (TIMESTAMP(MICROS,true));
        optional int64 t_ns (TIMESTAMP(NANOS,true));
        optional int64 w_ms (TIMESTAMP(MILLIS,false));
        optional int64 w_us (TIMESTAMP(MICROS,false));
        optional int64 w_ns (TIMESTAMP(NANOS,false));
        optional int32 day (DATE);
        optional group longs (LIST) {
          repeated group list {
            optional int64 element;
          }
        }
        optional group doubles (LIST) {
          repeated group list {
            optional double element;
          }
        }
        optional group strings (LIST) {
          repeated group list {
            optional binary element (STRING);
          }
        }
      }
      """;

  @TempDir Path dir;

  private static Object[] fullRow() {
    return new Object[] {"héllo", new byte[] {0, 1, (byte) 0xFF}, Long.MIN_VALUE, -7, -0.0, 1.5f, true,
        1_769_853_600_123L, 1_769_853_600_123_456L, 1_769_853_600_123_456_789L, 5L, 6L, 7L, 20_484,
        Arrays.asList(1L, null, 3L), List.of(0.5, Double.NaN), List.of("a", "")};
  }

  private static void write(Path file, List<OutputColumn> columns, List<Object[]> rows, Map<String, String> meta) {
    try (ParquetDatasetWriter writer = ParquetDatasetWriter.create(file, columns, meta)) {
      for (Object[] row : rows) {
        writer.write(row);
      }
      assertThat(writer.rowCount()).isEqualTo(rows.size());
    }
  }

  private static List<Object> list(Group row, String name) {
    if (row.getFieldRepetitionCount(name) == 0) {
      return null;
    }
    Group list = row.getGroup(name, 0);
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < list.getFieldRepetitionCount("list"); i++) {
      Group element = list.getGroup("list", i);
      if (element.getFieldRepetitionCount("element") == 0) {
        values.add(null);
      } else {
        values.add(element.getValueToString(element.getType().getFieldIndex("element"), 0));
      }
    }
    return values;
  }

  @Test
  void roundTripsEveryTypeListsAndNulls() {
    Path file = dir.resolve("training.parquet");
    Object[] nulls = new Object[ALL_TYPES.size()];
    Object[] empties = fullRow();
    empties[14] = List.of();
    empties[15] = List.of();
    empties[16] = Arrays.asList((String) null);
    write(file, ALL_TYPES, List.of(fullRow(), nulls, empties), Map.of());

    assertThat(footer(file).getFileMetaData().getSchema().toString().trim())
        .isEqualTo(ALL_TYPES_SCHEMA.trim());
    List<Group> rows = ParquetTestFiles.read(file);
    assertThat(rows).hasSize(3);
    Group row = rows.get(0);
    assertThat(row.getString("s", 0)).isEqualTo("héllo");
    assertThat(row.getBinary("b", 0).getBytes()).containsExactly(0, 1, 0xFF);
    assertThat(row.getLong("l", 0)).isEqualTo(Long.MIN_VALUE);
    assertThat(row.getInteger("i", 0)).isEqualTo(-7);
    assertThat(Double.doubleToRawLongBits(row.getDouble("d", 0))).isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(row.getFloat("f", 0)).isEqualTo(1.5f);
    assertThat(row.getBoolean("z", 0)).isTrue();
    assertThat(row.getLong("t_ms", 0)).isEqualTo(1_769_853_600_123L);
    assertThat(row.getLong("t_us", 0)).isEqualTo(1_769_853_600_123_456L);
    assertThat(row.getLong("t_ns", 0)).isEqualTo(1_769_853_600_123_456_789L);
    assertThat(row.getLong("w_ms", 0)).isEqualTo(5L);
    assertThat(row.getLong("w_us", 0)).isEqualTo(6L);
    assertThat(row.getLong("w_ns", 0)).isEqualTo(7L);
    assertThat(row.getInteger("day", 0)).isEqualTo(20_484);
    assertThat(list(row, "longs")).containsExactly("1", null, "3");
    assertThat(list(row, "doubles")).containsExactly("0.5", "NaN");
    assertThat(list(row, "strings")).containsExactly("a", "");

    Group empty = rows.get(1);
    for (OutputColumn column : ALL_TYPES) {
      assertThat(empty.getFieldRepetitionCount(column.name())).as(column.name()).isZero();
    }
    assertThat(list(rows.get(2), "longs")).isEmpty();
    assertThat(list(rows.get(2), "doubles")).isEmpty();
    assertThat(list(rows.get(2), "strings")).containsExactly((Object) null);
  }

  @Test
  void theSameInputGivesTheSameBytes() throws IOException {
    Random random = new Random(3);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      Object[] row = fullRow();
      row[0] = "card-" + random.nextInt(1000);
      row[2] = random.nextLong();
      row[4] = random.nextBoolean() ? null : random.nextDouble();
      row[15] = List.of(random.nextDouble(), random.nextDouble());
      rows.add(row);
    }
    Path first = dir.resolve("first.parquet");
    Path second = dir.resolve("second.parquet");
    Map<String, String> meta = Map.of("lockstep.manifest", "abc", "a", "1", "z", "2");
    write(first, ALL_TYPES, rows, meta);
    write(second, ALL_TYPES, rows, Map.of("z", "2", "lockstep.manifest", "abc", "a", "1"));
    assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));

    rows.get(10_000)[2] = 1L;
    Path third = dir.resolve("third.parquet");
    write(third, ALL_TYPES, rows, meta);
    assertThat(Files.readAllBytes(third)).isNotEqualTo(Files.readAllBytes(first));
  }

  @Test
  void theFooterDescribesTheFormatAndTheChunksAreZstdWithoutDoubleDictionaries() {
    Path file = dir.resolve("training.parquet");
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      rows.add(fullRow());
    }
    write(file, ALL_TYPES, rows, Map.of("lockstep.manifest", "abc"));
    ParquetMetadata footer = footer(file);
    assertThat(footer.getFileMetaData().getKeyValueMetaData())
        .containsEntry("lockstep.format", "training-set")
        .containsEntry("lockstep.format.version", "1")
        .containsEntry("lockstep.manifest", "abc");
    for (ColumnChunkMetaData chunk : footer.getBlocks().get(0).getColumns()) {
      assertThat(chunk.getCodec()).isEqualTo(CompressionCodecName.ZSTD);
      String path = chunk.getPath().toDotString();
      boolean floating = path.equals("d") || path.equals("f") || path.equals("doubles.list.element");
      boolean dictionary = chunk.getEncodings().stream().anyMatch(Encoding::usesDictionary);
      // Parquet has no dictionary for booleans.
      assertThat(dictionary).as(path).isEqualTo(!floating && !path.equals("z"));
    }
  }

  @Test
  void aWronglyTypedRowIsRefusedAndNothingOfItIsWritten() {
    Path file = dir.resolve("training.parquet");
    try (ParquetDatasetWriter writer = ParquetDatasetWriter.create(file, ALL_TYPES)) {
      writer.write(fullRow());
      Object[] wrongScalar = fullRow();
      wrongScalar[3] = 7L;
      assertThatThrownBy(() -> writer.write(wrongScalar))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Cannot write row 2 of training.parquet: column 'i' holds a Long, but its type INT takes a Integer");
      Object[] wrongElement = fullRow();
      wrongElement[16] = List.of("a", 1);
      assertThatThrownBy(() -> writer.write(wrongElement))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Cannot write row 2 of training.parquet: column 'strings' holds a Integer, but its type STRING"
              + " list takes list elements of String");
      Object[] notAList = fullRow();
      notAList[14] = 1L;
      assertThatThrownBy(() -> writer.write(notAList))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Cannot write row 2 of training.parquet: column 'longs' holds a Long, but its type LONG list"
              + " takes a java.util.List");
      assertThatThrownBy(() -> writer.write(new Object[3]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Cannot write row 2 of training.parquet: it has 3 values for 17 columns");
      writer.write(new Object[ALL_TYPES.size()]);
      assertThat(writer.rowCount()).isEqualTo(2);
    }
    assertThat(ParquetTestFiles.read(file)).hasSize(2);
  }

  @Test
  void refusesAnExistingFileDuplicateNamesAndReservedMetadata() throws IOException {
    Path file = dir.resolve("training.parquet");
    Files.writeString(file, "keep me");
    assertThatThrownBy(() -> ParquetDatasetWriter.create(file, ALL_TYPES))
        .isInstanceOf(DataFileException.class)
        .hasMessage("Cannot write training.parquet: it already exists (delete it or choose another path)");
    assertThat(Files.readString(file)).isEqualTo("keep me");
    Path other = dir.resolve("other.parquet");
    List<OutputColumn> twice = List.of(new OutputColumn("a", ColumnType.LONG, false),
        new OutputColumn("a", ColumnType.STRING, true));
    assertThatThrownBy(() -> ParquetDatasetWriter.create(other, twice))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot write other.parquet: column 'a' is listed twice (rename one of them)");
    assertThatThrownBy(() -> ParquetDatasetWriter.create(other, ALL_TYPES, Map.of("lockstep.format", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot write other.parquet: metadata keys lockstep.format and lockstep.format.version are reserved");
    assertThat(other).doesNotExist();
  }

  private static ParquetMetadata footer(Path file) {
    try (ParquetFileReader reader = ParquetFiles.open(file)) {
      return reader.getFooter();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
