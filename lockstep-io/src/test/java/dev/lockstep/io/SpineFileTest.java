package dev.lockstep.io;

import static dev.lockstep.io.SourceFixtures.millis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.ValueType;
import dev.lockstep.spi.CloseableIterator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpineFileTest {
  private static final Optional<ZoneId> NO_ZONE = Optional.empty();
  private static final Optional<ZoneId> PARIS = Optional.of(ZoneId.of("Europe/Paris"));

  @TempDir Path dir;

  private static List<Object[]> rows(SpineFile spine) {
    List<Object[]> rows = new ArrayList<>();
    try (CloseableIterator<Object[]> iterator = spine.rows()) {
      iterator.forEachRemaining(rows::add);
    }
    return rows;
  }

  private static List<OutputColumn> passThrough(SpineFile spine) {
    return spine.columns().stream().map(OutputColumn::passThrough).toList();
  }

  @Test
  void aCsvSpinePassesThroughUnchanged() throws IOException {
    String[][] values = {
        {"c1", "2026-01-31T10:00:00Z", "  spaced  ", "007"},
        {"c,2", "2026-01-31 10:00:00.123456+01:00", "say \"hi\"", "two\r\nlines"},
        {"ü€😀", "1769853600000", null, "\"\""},
    };
    Path file = dir.resolve("spine.csv");
    Files.writeString(file, "card_id,t,note,label\r\n"
        + "c1,2026-01-31T10:00:00Z,  spaced  ,007\r\n"
        + "\"c,2\",2026-01-31 10:00:00.123456+01:00,\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n"
        + "ü€😀,1769853600000,,\"\"\"\"\"\"");
    SpineFile spine = SpineFile.open(file);
    assertThat(spine.columns()).containsExactly(new SpineColumn("card_id", ColumnType.STRING),
        new SpineColumn("t", ColumnType.STRING), new SpineColumn("note", ColumnType.STRING),
        new SpineColumn("label", ColumnType.STRING));
    assertThat(spine.estimatedRows()).isEqualTo(3);
    List<Object[]> rows = rows(spine);
    assertThat(rows).hasSize(3);
    for (int i = 0; i < values.length; i++) {
      assertThat(rows.get(i)).containsExactly((Object[]) values[i]);
    }
    assertThat(rows(spine)).hasSize(3); // readable again

    Path out = dir.resolve("out.parquet");
    try (ParquetDatasetWriter writer = ParquetDatasetWriter.create(out, passThrough(spine))) {
      rows.forEach(writer::write);
    }
    List<Group> written = ParquetTestFiles.read(out);
    for (int i = 0; i < values.length; i++) {
      for (int c = 0; c < values[i].length; c++) {
        Group row = written.get(i);
        String name = spine.columns().get(c).name();
        String actual = row.getFieldRepetitionCount(name) == 0 ? null : row.getString(name, 0);
        assertThat(actual).isEqualTo(values[i][c]);
      }
    }
  }

  @Test
  void aParquetSpineKeepsItsTypesThroughTheWriter() {
    MessageType schema = ParquetTestFiles.schema("message spine { required binary card_id (STRING);"
        + " optional int64 t (TIMESTAMP(MICROS,true)); optional int64 n; optional int32 i; optional int32 small (INTEGER(8,true));"
        + " optional double d; optional float f; optional boolean z; optional binary raw; optional int32 day (DATE);"
        + " optional int64 t_ms (TIMESTAMP(MILLIS,true)); optional int64 t_ns (TIMESTAMP(NANOS,true));"
        + " optional int64 w_us (TIMESTAMP(MICROS,false)); }");
    Group full = ParquetTestFiles.row(schema);
    full.add("card_id", "c1");
    full.add("t", 1_769_853_600_123_456L);
    full.add("n", -1L);
    full.add("i", 2);
    full.add("small", -3);
    full.add("d", 4.5);
    full.add("f", 5.5f);
    full.add("z", true);
    full.add("raw", org.apache.parquet.io.api.Binary.fromConstantByteArray(new byte[] {9, 8}));
    full.add("day", 20_484);
    full.add("t_ms", 7L);
    full.add("t_ns", 8L);
    full.add("w_us", 9L);
    Group sparse = ParquetTestFiles.row(schema);
    sparse.add("card_id", "c2");
    Path file = dir.resolve("spine.parquet");
    ParquetTestFiles.write(file, schema, List.of(full, sparse));

    SpineFile spine = SpineFile.open(file);
    assertThat(spine.columns()).extracting(SpineColumn::type).containsExactly(ColumnType.STRING,
        ColumnType.TIMESTAMP_MICROS_UTC, ColumnType.LONG, ColumnType.INT, ColumnType.INT, ColumnType.DOUBLE,
        ColumnType.FLOAT, ColumnType.BOOLEAN, ColumnType.BINARY, ColumnType.DATE, ColumnType.TIMESTAMP_MILLIS_UTC,
        ColumnType.TIMESTAMP_NANOS_UTC, ColumnType.TIMESTAMP_MICROS_LOCAL);
    assertThat(spine.estimatedRows()).isEqualTo(2);
    List<Object[]> rows = rows(spine);
    assertThat(rows.get(0)).containsExactly("c1", 1_769_853_600_123_456L, -1L, 2, -3, 4.5, 5.5f, true,
        new byte[] {9, 8}, 20_484, 7L, 8L, 9L);
    assertThat(rows.get(1)).containsExactly("c2", null, null, null, null, null, null, null, null, null, null, null, null);

    Path out = dir.resolve("out.parquet");
    try (ParquetDatasetWriter writer = ParquetDatasetWriter.create(out, passThrough(spine))) {
      rows.forEach(writer::write);
    }
    SpineFile again = SpineFile.open(out);
    assertThat(again.columns()).isEqualTo(spine.columns());
    List<Object[]> reread = rows(again);
    for (int i = 0; i < rows.size(); i++) {
      assertThat(reread.get(i)).containsExactly(rows.get(i));
    }
  }

  @Test
  void readsTextTheSameWithAndWithoutDictionary() {
    MessageType schema = ParquetTestFiles.schema("message spine { optional binary k (STRING); }");
    List<Group> groups = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      Group group = ParquetTestFiles.row(schema);
      if (i % 3 != 0) {
        group.add("k", "key " + (i % 11));
      }
      groups.add(group);
    }
    for (boolean dictionary : new boolean[] {true, false}) {
      Path file = dir.resolve("spine-" + dictionary + ".parquet");
      ParquetTestFiles.write(file, schema, groups, 2048, dictionary);
      assertThat(ParquetTestFiles.dictionaryEncoded(file, "k")).isEqualTo(dictionary);
      List<Object[]> rows = rows(SpineFile.open(file));
      assertThat(rows).hasSize(2_000);
      for (int i = 0; i < rows.size(); i++) {
        assertThat(rows.get(i)).containsExactly(i % 3 != 0 ? "key " + (i % 11) : null);
      }
    }
  }

  @Test
  void aDirectoryIsReadFileByFileInNameOrderSkippingHiddenFiles() throws IOException {
    MessageType schema = ParquetTestFiles.schema("message spine { optional binary k (STRING); optional int64 n; }");
    Path directory = Files.createDirectory(dir.resolve("spine"));
    for (String name : List.of("part-1.parquet", "part-0.parquet", "_hidden.parquet", ".hidden.parquet")) {
      List<Group> rows = new ArrayList<>();
      for (long n = 0; n < 3; n++) {
        Group row = ParquetTestFiles.row(schema);
        row.add("k", name);
        row.add("n", n);
        rows.add(row);
      }
      ParquetTestFiles.write(directory.resolve(name), schema, rows);
    }
    Files.writeString(directory.resolve("_SUCCESS"), "");
    SpineFile spine = SpineFile.open(directory);
    assertThat(spine.estimatedRows()).isEqualTo(6);
    assertThat(rows(spine)).extracting(row -> row[0] + "/" + row[1]).containsExactly("part-0.parquet/0",
        "part-0.parquet/1", "part-0.parquet/2", "part-1.parquet/0", "part-1.parquet/1", "part-1.parquet/2");

    MessageType other = ParquetTestFiles.schema("message spine { optional binary k (STRING); optional int32 n; }");
    ParquetTestFiles.write(directory.resolve("part-2.parquet"), other, List.of(ParquetTestFiles.row(other)));
    assertThatThrownBy(() -> SpineFile.open(directory))
        .isInstanceOf(DataFileException.class)
        .hasMessage("Cannot read part-2.parquet: its columns [SpineColumn[name=k, type=STRING],"
            + " SpineColumn[name=n, type=INT]] differ from those of part-0.parquet [SpineColumn[name=k, type=STRING],"
            + " SpineColumn[name=n, type=LONG]] (every file of a spine must have the same columns)");
  }

  @Test
  void refusesWhatASpineCannotPassThrough() throws IOException {
    MessageType schema = ParquetTestFiles.schema(
        "message spine { optional binary k (STRING); optional int64 amount (DECIMAL(12,2)); }");
    Path file = dir.resolve("spine.parquet");
    ParquetTestFiles.write(file, schema, List.of());
    assertThatThrownBy(() -> SpineFile.open(file))
        .isInstanceOf(DataFileException.class)
        .hasMessage("Cannot read spine.parquet: column 'amount' is INT64 DECIMAL(12,2), which a spine cannot pass"
            + " through (cast it to a string, number, boolean, date or INT64 timestamp)");
    Path text = dir.resolve("spine.txt");
    Files.writeString(text, "a\n");
    assertThatThrownBy(() -> SpineFile.open(text))
        .isInstanceOf(DataFileException.class)
        .hasMessage("Cannot read spine.txt: its format is unknown (use a .csv or .parquet file, or a directory of"
            + " .parquet files)");
    Path duplicate = dir.resolve("spine.csv");
    Files.writeString(duplicate, "k,t,k\n");
    assertThatThrownBy(() -> SpineFile.open(duplicate))
        .isInstanceOf(DataFileException.class)
        .hasMessage("Cannot read spine.csv: it has column 'k' twice (rename one of them)");
    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertThatThrownBy(() -> SpineFile.open(empty))
        .isInstanceOf(DataFileException.class)
        .hasMessage("Cannot read empty: the directory has no .parquet file");
  }

  @Test
  void aMalformedCsvRowFailsTheRead() throws IOException {
    Path file = dir.resolve("spine.csv");
    Files.writeString(file, "k,t\na,1\nb\n");
    SpineFile spine = SpineFile.open(file);
    assertThatThrownBy(() -> rows(spine))
        .isInstanceOf(DataFileException.class)
        .hasMessage("Cannot read spine.csv: row 2 is malformed: it has 1 fields but the header has 2");
    Files.writeString(file, "k,t\n\"a\"x,1\n");
    assertThatThrownBy(() -> rows(SpineFile.open(file)))
        .isInstanceOf(DataFileException.class)
        .hasMessage("Cannot read spine.csv: row 1 is malformed: column 'k': it has text after the closing quote"
            + " (a '\"' inside a quoted value must be doubled)");
  }

  @Test
  void findsColumnsByName() throws IOException {
    Path file = dir.resolve("spine.csv");
    Files.writeString(file, "card_id,t\n");
    SpineFile spine = SpineFile.open(file);
    assertThat(spine.indexOf("t")).isEqualTo(1);
    assertThat(spine.estimatedRows()).isZero();
    assertThatThrownBy(() -> spine.indexOf("ts"))
        .isInstanceOf(DataFileException.class)
        .hasMessage("Cannot use spine spine.csv: it has no column 'ts' (it has card_id, t)");
  }

  @Test
  void readsTimesOfEveryKind() {
    long t = millis("2026-01-31T10:00:00.123Z");
    assertThat(SpineFile.timeMillis("2026-01-31T10:00:00.123Z", ColumnType.STRING, NO_ZONE)).isEqualTo(t);
    assertThat(SpineFile.timeMillis("2026-01-31T11:00:00.123", ColumnType.STRING, PARIS)).isEqualTo(t);
    assertThat(SpineFile.timeMillis(String.valueOf(t), ColumnType.STRING, NO_ZONE)).isEqualTo(t);
    assertThat(SpineFile.timeMillis(t, ColumnType.LONG, NO_ZONE)).isEqualTo(t);
    assertThat(SpineFile.timeMillis(t, ColumnType.TIMESTAMP_MILLIS_UTC, NO_ZONE)).isEqualTo(t);
    assertThat(SpineFile.timeMillis(t * 1000, ColumnType.TIMESTAMP_MICROS_UTC, NO_ZONE)).isEqualTo(t);
    assertThat(SpineFile.timeMillis(t * 1_000_000, ColumnType.TIMESTAMP_NANOS_UTC, NO_ZONE)).isEqualTo(t);
    long wallClock = millis("2026-01-31T11:00:00.123Z");
    assertThat(SpineFile.timeMillis(wallClock * 1000, ColumnType.TIMESTAMP_MICROS_LOCAL, PARIS)).isEqualTo(t);
    int day = (int) LocalDate.parse("2026-01-31").toEpochDay();
    assertThat(SpineFile.timeMillis(day, ColumnType.DATE, PARIS)).isEqualTo(millis("2026-01-30T23:00:00Z"));
  }

  @Test
  void subMillisecondTimesAreRoundedUpSoThatStrictlyEarlierEventsStayTheSame() {
    long t = millis("2026-01-31T10:00:00.123Z");
    assertThat(SpineFile.timeMillis("2026-01-31T10:00:00.1230001Z", ColumnType.STRING, NO_ZONE)).isEqualTo(t + 1);
    assertThat(SpineFile.timeMillis("2026-01-31T10:00:00.123000Z", ColumnType.STRING, NO_ZONE)).isEqualTo(t);
    assertThat(SpineFile.timeMillis(t * 1000 + 1, ColumnType.TIMESTAMP_MICROS_UTC, NO_ZONE)).isEqualTo(t + 1);
    assertThat(SpineFile.timeMillis(-1L, ColumnType.TIMESTAMP_MICROS_UTC, NO_ZONE)).isZero();
    assertThat(SpineFile.timeMillis(-1_001L, ColumnType.TIMESTAMP_MICROS_UTC, NO_ZONE)).isEqualTo(-1L);
    assertThat(SpineFile.timeMillis(t * 1_000_000 + 1, ColumnType.TIMESTAMP_NANOS_UTC, NO_ZONE)).isEqualTo(t + 1);
  }

  @Test
  void explainsTimesItCannotRead() {
    assertThatThrownBy(() -> SpineFile.timeMillis("2026-01-31T10:00:00", ColumnType.STRING, NO_ZONE))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("Cannot read value: '2026-01-31T10:00:00' has no zone (add an offset such as Z, or give the"
            + " spine's zone)")
        .extracting(e -> ((InvalidValueException) e).reason())
        .isEqualTo("'2026-01-31T10:00:00' has no zone (add an offset such as Z, or give the spine's zone)");
    assertThatThrownBy(() -> SpineFile.timeMillis("soon", ColumnType.STRING, NO_ZONE))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("Cannot read value: 'soon' is not a timestamp (use ISO-8601 such as 2026-01-31T10:00:00Z)");
    assertThatThrownBy(() -> SpineFile.timeMillis(1L, ColumnType.TIMESTAMP_MILLIS_LOCAL, NO_ZONE))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("Cannot read value: a TIMESTAMP_MILLIS_LOCAL value is a time without zone (give the spine's zone)");
    assertThatThrownBy(() -> SpineFile.timeMillis(1.5, ColumnType.DOUBLE, NO_ZONE))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("Cannot read value: a DOUBLE column cannot hold times (use a timestamp, date, epoch"
            + " milliseconds or ISO-8601 text)");
    assertThatThrownBy(() -> SpineFile.timeMillis(null, ColumnType.STRING, NO_ZONE))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("Cannot read value: the time is missing");
  }

  @Test
  void readsKeysAsLongsOrStrings() {
    assertThat(SpineFile.keyValue("42", ColumnType.STRING, ValueType.LONG)).isEqualTo(42L);
    assertThat(SpineFile.keyValue(42L, ColumnType.LONG, ValueType.LONG)).isEqualTo(42L);
    assertThat(SpineFile.keyValue(42, ColumnType.INT, ValueType.LONG)).isEqualTo(42L);
    assertThat(SpineFile.keyValue("c1", ColumnType.STRING, ValueType.STRING)).isEqualTo("c1");
    assertThat(SpineFile.keyValue(42L, ColumnType.LONG, ValueType.STRING)).isEqualTo("42");
    assertThat(SpineFile.keyValue(null, ColumnType.STRING, ValueType.LONG)).isNull();
    assertThatThrownBy(() -> SpineFile.keyValue("4.2", ColumnType.STRING, ValueType.LONG))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("Cannot read value: '4.2' is not a long");
    assertThatThrownBy(() -> SpineFile.keyValue("99999999999999999999", ColumnType.STRING, ValueType.LONG))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("Cannot read value: '99999999999999999999' is out of range for a long");
    assertThatThrownBy(() -> SpineFile.keyValue(1.0, ColumnType.DOUBLE, ValueType.STRING))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("Cannot read value: a DOUBLE value cannot be a string key");
  }
}
