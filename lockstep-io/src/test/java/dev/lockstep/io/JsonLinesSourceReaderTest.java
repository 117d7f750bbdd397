package dev.lockstep.io;

import static dev.lockstep.io.SourceFixtures.accepted;
import static dev.lockstep.io.SourceFixtures.millis;
import static dev.lockstep.io.SourceFixtures.payments;
import static dev.lockstep.io.SourceFixtures.readAll;
import static dev.lockstep.io.SourceFixtures.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonLinesSourceReaderTest {
  private static final Source PAYMENTS = payments(SourceFormat.JSONL).build();

  @TempDir Path dir;

  private List<ParsedRecord> read(String text, Source source) throws IOException {
    Path file = dir.resolve("payments.jsonl");
    Files.writeString(file, text);
    return readAll(file, source);
  }

  @Test
  void acceptsTypedValuesAndSkipsOtherFields() throws IOException {
    List<ParsedRecord> records = read(
        "{\"extra\":{\"a\":[1,{\"b\":2}]},\"merchant\":\"shop\",\"items\":3,\"amount\":12,"
            + "\"ts\":\"2026-01-31T10:00:00Z\",\"card_id\":\"c1\",\"more\":[true]}\n", PAYMENTS);
    ParsedRecord.Accepted record = accepted(records.get(0));
    assertThat(record.values()).containsExactly("c1", 12.0, 3L, "shop");
    assertThat(record.eventTimeMillis()).isEqualTo(millis("2026-01-31T10:00:00Z"));
    assertThat(record.rowNumber()).isEqualTo(1);
  }

  @Test
  void absentAndNullFieldsAreNullAndIntegersAreEpochMillis() throws IOException {
    List<ParsedRecord> records = read("{\"card_id\":\"c1\",\"ts\":1769853600000,\"amount\":null}\n", PAYMENTS);
    ParsedRecord.Accepted record = accepted(records.get(0));
    assertThat(record.values()).containsExactly("c1", null, null, null);
    assertThat(record.eventTimeMillis()).isEqualTo(1_769_853_600_000L);
  }

  @Test
  void rowNumbersAreLineNumbersAndBlankLinesAreSkipped() throws IOException {
    String row = "{\"card_id\":\"c1\",\"ts\":1}";
    List<ParsedRecord> records = read(row + "\n\n  \r\n" + row + "\r\n" + row, PAYMENTS);
    assertThat(records).extracting(ParsedRecord::rowNumber).containsExactly(1L, 4L, 5L);
    assertThat(records).allMatch(record -> record instanceof ParsedRecord.Accepted);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '^', value = {
      "{\"card_id\":\"c1\",\"ts\":\"2026-13-01 10:00\"}|column 'ts': '2026-13-01 10:00' is not a timestamp (use ISO-8601 such as 2026-01-31T10:00:00Z)",
      "{\"card_id\":\"c1\",\"ts\":1.5}|column 'ts': '1.5' is not a timestamp (use ISO-8601 such as 2026-01-31T10:00:00Z)",
      "{\"card_id\":\"c1\",\"ts\":true}|column 'ts': 'true' is not a timestamp (use ISO-8601 such as 2026-01-31T10:00:00Z)",
      "{\"card_id\":\"c1\",\"ts\":[1]}|column 'ts': an array is not a timestamp",
      "{\"card_id\":\"c1\",\"ts\":\"2026-01-01T10:00:00\"}|column 'ts': '2026-01-01T10:00:00' has no zone (declare zone: on source payments)",
      "{\"card_id\":\"c1\",\"ts\":\"2026-01-01T10:00:00.000001Z\"}|column 'ts': '2026-01-01T10:00:00.000001Z' has sub-millisecond precision (Lockstep keeps milliseconds: round or truncate the times to whole milliseconds)",
      "{\"card_id\":\"c1\"}|column 'ts': missing event time",
      "{\"card_id\":\"c1\",\"ts\":null}|column 'ts': missing event time",
      "{\"ts\":1}|column 'card_id': missing key",
      "{\"card_id\":null,\"ts\":1}|column 'card_id': missing key",
      "{\"card_id\":123,\"ts\":1}|column 'card_id': 123 is a number, not a string (quote it, or declare the column as long)",
      "{\"card_id\":\"c1\",\"ts\":1,\"merchant\":1.5}|column 'merchant': 1.5 is a number, not a string (quote it, or declare the column as double)",
      "{\"card_id\":\"c1\",\"ts\":1,\"amount\":\"12.5\"}|column 'amount': \"12.5\" is a string, not a double (write the number without quotes)",
      "{\"card_id\":\"c1\",\"ts\":1,\"amount\":false}|column 'amount': false is a boolean, not a double",
      "{\"card_id\":\"c1\",\"ts\":1,\"amount\":1e400}|column 'amount': '1e400' is out of range for a double",
      "{\"card_id\":\"c1\",\"ts\":1,\"amount\":{\"v\":1}}|column 'amount': an object is not a double",
      "{\"card_id\":\"c1\",\"ts\":1,\"items\":1.5}|column 'items': '1.5' is not a long",
      "{\"card_id\":\"c1\",\"ts\":1,\"items\":2.0}|column 'items': '2.0' is not a long",
      "{\"card_id\":\"c1\",\"ts\":1,\"items\":99999999999999999999}|column 'items': '99999999999999999999' is out of range for a long",
      "{\"card_id\":\"c1\",\"ts\":1,\"items\":[1]}|column 'items': an array is not a long",
      "[1,2]|the line is not a JSON object",
      "\"text\"|the line is not a JSON object",
      "{\"card_id\":\"c1\",\"ts\":1} {}|the line has more than one JSON value (write one object per line)",
      "{\"card_id\":\"c1\",\"ts\":1,\"items\":3,\"amount\":\"x\"}|column 'amount': \"x\" is a string, not a double (write the number without quotes)",
      "{\"amount\":\"x\",\"ts\":1}|column 'card_id': missing key"})
  void rejectsWithOneLineReasonAndTheRawLine(String line, String reason) throws IOException {
    List<ParsedRecord> records = read(line + "\n", PAYMENTS);
    ParsedRecord.Rejected rejected = rejected(records.get(0));
    assertThat(rejected.reason()).isEqualTo(reason);
    assertThat(rejected.raw()).isEqualTo(line);
  }

  @Test
  void rejectsMalformedJsonAndGoesOn() throws IOException {
    List<ParsedRecord> records = read("{\"card_id\":\"c1\",\"ts\":1,\n{\"card_id\":\"c2\",\"ts\":2}\n", PAYMENTS);
    assertThat(records).hasSize(2);
    assertThat(rejected(records.get(0)).reason()).startsWith("the line is not valid JSON: ");
    assertThat(rejected(records.get(0)).reason()).doesNotContain("\n");
    assertThat(accepted(records.get(1)).values()).containsExactly("c2", null, null, null);
  }

  @Test
  void theLastOccurrenceOfAFieldCounts() throws IOException {
    List<ParsedRecord> records =
        read("{\"card_id\":\"c1\",\"ts\":1,\"items\":\"bad\",\"items\":4}\n", PAYMENTS);
    assertThat(accepted(records.get(0)).values()).containsExactly("c1", null, 4L, null);
  }

  @Test
  void readsZoneLessTimesInTheDeclaredZoneAndTheIngestTime() throws IOException {
    Source source = payments(SourceFormat.JSONL).zone(ZoneId.of("Asia/Tokyo")).ingestTime("at").build();
    List<ParsedRecord> records = read(
        "{\"card_id\":\"c1\",\"ts\":\"2026-01-01T09:00:00\",\"at\":\"2026-01-01T00:00:01Z\"}\n"
            + "{\"card_id\":\"c1\",\"ts\":\"2026-01-01T09:00:00\"}\n", source);
    ParsedRecord.Accepted record = accepted(records.get(0));
    assertThat(record.eventTimeMillis()).isEqualTo(millis("2026-01-01T00:00:00Z"));
    assertThat(record.ingestTimeMillis()).isEqualTo(OptionalLong.of(millis("2026-01-01T00:00:01Z")));
    assertThat(rejected(records.get(1)).reason()).isEqualTo("column 'at': missing ingest time");
  }
}
