package dev.lockstep.io;

import static dev.lockstep.io.SourceFixtures.accepted;
import static dev.lockstep.io.SourceFixtures.millis;
import static dev.lockstep.io.SourceFixtures.payments;
import static dev.lockstep.io.SourceFixtures.readAll;
import static dev.lockstep.io.SourceFixtures.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.ValueType;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetSourceReaderTest {
  private static final Source PAYMENTS = payments(SourceFormat.PARQUET).build();
  private static final String PAYMENTS_SCHEMA = "message m { optional binary card_id (STRING);"
      + " optional int64 ts (TIMESTAMP(MICROS,true)); optional double amount; optional int64 items;"
      + " optional binary merchant (STRING); optional int32 extra; }";

  @TempDir Path dir;

  private Path file(String schemaText, List<Object[]> rows) {
    MessageType schema = ParquetTestFiles.schema(schemaText);
    List<Group> groups = new ArrayList<>();
    for (Object[] values : rows) {
      Group group = ParquetTestFiles.row(schema);
      for (int i = 0; i < values.length; i++) {
        Object value = values[i];
        String name = schema.getFieldName(i);
        if (value instanceof Integer v) {
          group.add(name, v);
        } else if (value instanceof Long v) {
          group.add(name, v);
        } else if (value instanceof Float v) {
          group.add(name, v);
        } else if (value instanceof Double v) {
          group.add(name, v);
        } else if (value instanceof String v) {
          group.add(name, v);
        } else if (value instanceof Binary v) {
          group.add(name, v);
        }
      }
      groups.add(group);
    }
    Path file = dir.resolve("payments.parquet");
    try {
      java.nio.file.Files.deleteIfExists(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    ParquetTestFiles.write(file, schema, groups);
    return file;
  }

  private static long micros(String iso) {
    return millis(iso) * 1000L;
  }

  @Test
  void acceptsTypedValuesInDeclaredOrderIgnoringExtraColumns() {
    Path file = file(PAYMENTS_SCHEMA, List.<Object[]>of(
        new Object[] {"c1", micros("2026-01-31T10:00:00Z"), 12.5, 3L, "shop", 9},
        new Object[] {"c2", micros("2026-01-31T11:00:00Z"), null, null, null, null}));
    List<ParsedRecord> records = readAll(file, PAYMENTS);
    assertThat(records).hasSize(2);
    ParsedRecord.Accepted first = accepted(records.get(0));
    assertThat(first.rowNumber()).isEqualTo(1);
    assertThat(first.eventTimeMillis()).isEqualTo(millis("2026-01-31T10:00:00Z"));
    assertThat(first.ingestTimeMillis()).isEmpty();
    assertThat(first.values()).containsExactly("c1", 12.5, 3L, "shop");
    assertThat(accepted(records.get(1)).values()).containsExactly("c2", null, null, null);
    assertThat(records.get(1).rowNumber()).isEqualTo(2);
  }

  @Test
  void convertsEveryReadablePhysicalType() {
    Source source = Source.builder("wide", SourceFormat.PARQUET)
        .entity("account", "id")
        .eventTime("ts")
        .ingestTime("at")
        .column("id", ValueType.LONG)
        .column("small", ValueType.LONG)
        .column("unsigned", ValueType.LONG)
        .column("f", ValueType.DOUBLE)
        .column("d", ValueType.DOUBLE)
        .column("i", ValueType.DOUBLE)
        .column("dec", ValueType.DOUBLE)
        .column("bigdec", ValueType.DOUBLE)
        .column("bytes", ValueType.STRING)
        .column("kind", ValueType.STRING)
        .build();
    String schema = "message m { required int64 id; optional int64 ts (TIMESTAMP(NANOS,true));"
        + " optional int64 at; optional int32 small (INTEGER(16,true)); optional int32 unsigned (INTEGER(32,false));"
        + " optional float f; optional double d; optional int32 i; optional int64 dec (DECIMAL(12,2));"
        + " optional fixed_len_byte_array(16) bigdec (DECIMAL(30,3)); optional binary bytes;"
        + " optional binary kind (ENUM); }";
    byte[] unscaled = new byte[16];
    byte[] value = java.math.BigInteger.valueOf(-1_234_567).toByteArray();
    java.util.Arrays.fill(unscaled, (byte) 0xFF);
    System.arraycopy(value, 0, unscaled, 16 - value.length, value.length);
    Path file = file(schema, List.<Object[]>of(new Object[] {7L, micros("2026-01-31T10:00:00.123Z") * 1000L,
        1_769_853_600_000L, -5, -1, 0.1f, 2.5, 42, 12_345L, Binary.fromConstantByteArray(unscaled),
        "héllo", "GOLD"}));
    ParsedRecord.Accepted record = accepted(readAll(file, source).get(0));
    assertThat(record.eventTimeMillis()).isEqualTo(millis("2026-01-31T10:00:00.123Z"));
    assertThat(record.ingestTimeMillis()).isEqualTo(OptionalLong.of(1_769_853_600_000L));
    assertThat(record.values())
        .containsExactly(7L, -5L, 4_294_967_295L, (double) 0.1f, 2.5, 42.0, 123.45, -1234.567, "héllo", "GOLD");
  }

  @Test
  void readsInt96DateAndTextTimes() {
    Source utc = payments(SourceFormat.PARQUET).build();
    ByteBuffer int96 = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    long day = LocalDate.parse("2026-01-31").toEpochDay() + 2_440_588L;
    int96.putLong(10L * 3_600_000_000_000L + 5_000_000L).putInt((int) day);
    Path spark = file("message m { optional binary card_id (STRING); optional int96 ts; }",
        List.<Object[]>of(new Object[] {"c1", Binary.fromConstantByteArray(int96.array())}));
    Source narrow = Source.builder("payments", SourceFormat.PARQUET).entity("card", "card_id").eventTime("ts")
        .column("card_id", ValueType.STRING).build();
    assertThat(accepted(readAll(spark, narrow).get(0)).eventTimeMillis()).isEqualTo(millis("2026-01-31T10:00:00.005Z"));

    Source paris = Source.builder("payments", SourceFormat.PARQUET).entity("card", "card_id").eventTime("ts")
        .zone(ZoneId.of("Europe/Paris")).column("card_id", ValueType.STRING).build();
    Path dates = file("message m { optional binary card_id (STRING); optional int32 ts (DATE); }",
        List.<Object[]>of(new Object[] {"c1", (int) LocalDate.parse("2026-07-01").toEpochDay()}));
    assertThat(accepted(readAll(dates, paris).get(0)).eventTimeMillis()).isEqualTo(millis("2026-06-30T22:00:00Z"));

    Path text = file("message m { optional binary card_id (STRING); optional binary ts (STRING); }",
        List.<Object[]>of(new Object[] {"c1", "2026-07-01T10:00:00"}, new Object[] {"c1", "2026-07-01T10:00:00Z"}));
    List<ParsedRecord> records = readAll(text, paris);
    assertThat(accepted(records.get(0)).eventTimeMillis()).isEqualTo(millis("2026-07-01T08:00:00Z"));
    assertThat(accepted(records.get(1)).eventTimeMillis()).isEqualTo(millis("2026-07-01T10:00:00Z"));
    assertThat(rejected(readAll(text, narrow).get(0)).reason())
        .isEqualTo("column 'ts': '2026-07-01T10:00:00' has no zone (declare zone: on source payments)");
    assertThat(utc.zone()).isEmpty();

    // DuckDB writes BIGINT as INT64 annotated INTEGER(64, signed): epoch milliseconds, like plain INT64
    Path bigint = file("message m { optional binary card_id (STRING); optional int64 ts (INTEGER(64,true)); }",
        List.<Object[]>of(new Object[] {"c1", millis("2026-01-31T10:00:00.005Z")}));
    assertThat(accepted(readAll(bigint, narrow).get(0)).eventTimeMillis()).isEqualTo(millis("2026-01-31T10:00:00.005Z"));
  }

  @Test
  void wallClockTimestampsAreReadInTheDeclaredZone() {
    String schema = "message m { optional binary card_id (STRING); optional int64 ts (TIMESTAMP(MILLIS,false)); }";
    Path file = file(schema, List.<Object[]>of(new Object[] {"c1", millis("2026-01-01T10:00:00Z")}));
    Source paris = Source.builder("payments", SourceFormat.PARQUET).entity("card", "card_id").eventTime("ts")
        .zone(ZoneId.of("Europe/Paris")).column("card_id", ValueType.STRING).build();
    assertThat(accepted(readAll(file, paris).get(0)).eventTimeMillis()).isEqualTo(millis("2026-01-01T09:00:00Z"));

    Source noZone = Source.builder("payments", SourceFormat.PARQUET).entity("card", "card_id").eventTime("ts")
        .column("card_id", ValueType.STRING).build();
    assertThatThrownBy(() -> SourceFileReader.open(file, noZone))
        .isInstanceOf(DataFileException.class)
        .hasMessage("Cannot read payments.parquet: column 'ts' is INT64 TIMESTAMP(MILLIS,false), a time without"
            + " zone (declare zone: on source payments)");
  }

  @Test
  void rejectsRowsWithReasonAndAJsonRendering() {
    Path file = file(PAYMENTS_SCHEMA, List.<Object[]>of(
        new Object[] {null, micros("2026-01-31T10:00:00Z"), 1.5, 2L, "a", 1},
        new Object[] {"c2", null, null, null, null, null},
        new Object[] {"c3", micros("2026-01-31T10:00:00Z") + 1, 1.0, 1L, "say \"x\"", null},
        new Object[] {"c4", micros("2026-01-31T10:00:00Z"), 1.0, 1L, "ok", null}));
    List<ParsedRecord> records = readAll(file, PAYMENTS);
    ParsedRecord.Rejected missingKey = rejected(records.get(0));
    assertThat(missingKey.rowNumber()).isEqualTo(1);
    assertThat(missingKey.reason()).isEqualTo("column 'card_id': missing key");
    assertThat(missingKey.raw())
        .isEqualTo("{\"ts\":\"2026-01-31T10:00:00Z\",\"card_id\":null,\"amount\":1.5,\"items\":2,\"merchant\":\"a\"}");
    assertThat(rejected(records.get(1)).reason()).isEqualTo("column 'ts': missing event time");
    ParsedRecord.Rejected subMillisecond = rejected(records.get(2));
    assertThat(subMillisecond.reason()).isEqualTo("column 'ts': '2026-01-31T10:00:00.000001Z' has sub-millisecond"
        + " precision (Lockstep keeps milliseconds: round or truncate the times to whole milliseconds)");
    assertThat(subMillisecond.raw()).isEqualTo("{\"ts\":\"2026-01-31T10:00:00.000001Z\",\"card_id\":\"c3\","
        + "\"amount\":1.0,\"items\":1,\"merchant\":\"say \\\"x\\\"\"}");
    assertThat(accepted(records.get(3)).rowNumber()).isEqualTo(4);
  }

  @Test
  void rowNumbersRunAcrossRowGroups() {
    MessageType schema = ParquetTestFiles.schema(PAYMENTS_SCHEMA);
    List<Group> groups = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      Group group = ParquetTestFiles.row(schema);
      group.add("card_id", "c" + i);
      group.add("ts", micros("2026-01-31T10:00:00Z") + i * 1000L);
      group.add("items", (long) i);
      groups.add(group);
    }
    Path file = dir.resolve("payments.parquet");
    ParquetTestFiles.write(file, schema, groups, 4096);
    List<ParsedRecord> records = readAll(file, PAYMENTS);
    assertThat(records).hasSize(5_000);
    for (int i = 0; i < records.size(); i++) {
      ParsedRecord.Accepted record = accepted(records.get(i));
      assertThat(record.rowNumber()).isEqualTo(i + 1L);
      assertThat(record.values()).containsExactly("c" + i, null, (long) i, null);
      assertThat(record.eventTimeMillis()).isEqualTo(millis("2026-01-31T10:00:00Z") + i);
    }
  }

  @Test
  void readsTextTheSameWithAndWithoutDictionary() {
    MessageType schema = ParquetTestFiles.schema(PAYMENTS_SCHEMA);
    List<Group> groups = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      Group group = ParquetTestFiles.row(schema);
      group.add("card_id", "c" + (i % 7));
      group.add("ts", micros("2026-01-31T10:00:00Z"));
      if (i % 5 != 0) {
        group.add("merchant", "shop ü" + (i % 3));
      }
      groups.add(group);
    }
    for (boolean dictionary : new boolean[] {true, false}) {
      Path file = dir.resolve("payments-" + dictionary + ".parquet");
      ParquetTestFiles.write(file, schema, groups, 4096, dictionary);
      assertThat(ParquetTestFiles.dictionaryEncoded(file, "card_id")).isEqualTo(dictionary);
      List<ParsedRecord> records = readAll(file, PAYMENTS);
      for (int i = 0; i < records.size(); i++) {
        assertThat(accepted(records.get(i)).values())
            .containsExactly("c" + (i % 7), null, null, i % 5 != 0 ? "shop ü" + (i % 3) : null);
      }
    }
  }

  @Test
  void aDeclaredColumnMissingFromTheSchemaFailsTheFile() {
    Path file = file("message m { optional binary card_id (STRING); optional int64 ts (TIMESTAMP(MILLIS,true));"
        + " optional double amt; optional int64 items; optional binary merchant (STRING); }", List.of());
    assertThatThrownBy(() -> SourceFileReader.open(file, PAYMENTS))
        .isInstanceOf(DataFileException.class)
        .hasMessage("Cannot read payments.parquet: it has no column 'amount' (the file has card_id, ts, amt, items,"
            + " merchant)");
  }

  @Test
  void aColumnOfAnUnreadableTypeFailsTheFile() {
    String base = "message m { optional binary card_id (STRING); optional int64 ts (TIMESTAMP(MILLIS,true));"
        + " optional double amount; optional int64 items; ";
    Path strings = file(base + "optional int64 merchant; }", List.of());
    assertThatThrownBy(() -> SourceFileReader.open(strings, PAYMENTS))
        .isInstanceOf(DataFileException.class)
        .hasMessage("Cannot read payments.parquet: column 'merchant' is INT64, which Lockstep cannot read as a"
            + " string (declare the column with the type it has, or convert it in the file)");
    Path longs = file("message m { optional binary card_id (STRING); optional int64 ts (TIMESTAMP(MILLIS,true));"
        + " optional double amount; optional double items; optional binary merchant (STRING); }", List.of());
    assertThatThrownBy(() -> SourceFileReader.open(longs, PAYMENTS))
        .isInstanceOf(DataFileException.class)
        .hasMessage("Cannot read payments.parquet: column 'items' is DOUBLE, which Lockstep cannot read as a"
            + " long (declare the column with the type it has, or convert it in the file)");
    Path times = file("message m { optional binary card_id (STRING); optional double ts; optional double amount;"
        + " optional int64 items; optional binary merchant (STRING); }", List.of());
    assertThatThrownBy(() -> SourceFileReader.open(times, PAYMENTS))
        .isInstanceOf(DataFileException.class)
        .hasMessage("Cannot read payments.parquet: column 'ts' is DOUBLE, which Lockstep cannot read as a timestamp"
            + " (use a TIMESTAMP, INT64 epoch milliseconds, DATE or ISO-8601 string column)");
    Path nested = file(base + "optional group merchant { optional binary name (STRING); } }", List.of());
    assertThatThrownBy(() -> SourceFileReader.open(nested, PAYMENTS))
        .isInstanceOf(DataFileException.class)
        .hasMessage("Cannot read payments.parquet: column 'merchant' is a nested or repeated column (Lockstep reads"
            + " flat columns)");
  }

  @Test
  void aFileThatIsNotParquetFails() throws Exception {
    Path file = dir.resolve("payments.parquet");
    java.nio.file.Files.writeString(file, "card_id,ts\n");
    assertThatThrownBy(() -> SourceFileReader.open(file, PAYMENTS))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith("Cannot read payments.parquet: ");
  }
}
