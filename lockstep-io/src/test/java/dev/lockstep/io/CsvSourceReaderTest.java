package dev.lockstep.io;

import static dev.lockstep.io.SourceFixtures.accepted;
import static dev.lockstep.io.SourceFixtures.millis;
import static dev.lockstep.io.SourceFixtures.payments;
import static dev.lockstep.io.SourceFixtures.readAll;
import static dev.lockstep.io.SourceFixtures.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvSourceReaderTest {
  private static final String HEADER = "card_id,ts,amount,items,merchant\n";
  private static final Source PAYMENTS = payments(SourceFormat.CSV).build();

  @TempDir Path dir;

  private Path csv(String text) throws IOException {
    Path file = dir.resolve("payments.csv");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private ParsedRecord only(String row, Source source) throws IOException {
    List<ParsedRecord> records = readAll(csv(HEADER + row + "\n"), source);
    assertThat(records).hasSize(1);
    return records.get(0);
  }

  @Test
  void acceptsTypedValuesInDeclaredOrder() throws IOException {
    ParsedRecord.Accepted record = accepted(only("c1,2026-01-31T10:00:00Z,12.5,3,shop", PAYMENTS));
    assertThat(record.rowNumber()).isEqualTo(1);
    assertThat(record.eventTimeMillis()).isEqualTo(millis("2026-01-31T10:00:00Z"));
    assertThat(record.ingestTimeMillis()).isEmpty();
    assertThat(record.values()).containsExactly("c1", 12.5, 3L, "shop");
  }

  @Test
  void readsColumnsByNameIgnoringExtraOnes() throws IOException {
    Path file = csv("extra,merchant,items,amount,ts,card_id,more\nx,shop,3,12.5,1769853600000,c1,y\n");
    ParsedRecord.Accepted record = accepted(readAll(file, PAYMENTS).get(0));
    assertThat(record.values()).containsExactly("c1", 12.5, 3L, "shop");
    assertThat(record.eventTimeMillis()).isEqualTo(1_769_853_600_000L);
  }

  @Test
  void emptyFieldsAreNullQuotedOrNot() throws IOException {
    ParsedRecord.Accepted record = accepted(only("c1,2026-01-31T10:00:00Z,,\"\",", PAYMENTS));
    assertThat(record.values()).containsExactly("c1", null, null, null);
  }

  @Test
  void followsRfc4180Quoting() throws IOException {
    String text = HEADER
        + "\"c,1\",2026-01-31T10:00:00Z,1,1,\"say \"\"hi\"\"\"\r\n"
        + "c2,2026-01-31T10:00:00Z,2,2,\"two\r\nlines\"\r\n"
        + "c3,2026-01-31T10:00:00Z,3,3,a\"b\r\n"
        + "\"c4\",\"2026-01-31T10:00:00Z\",\"4.5\",\"4\",\"ünï\"";
    List<ParsedRecord> records = readAll(csv(text), PAYMENTS);
    assertThat(records).hasSize(4);
    assertThat(accepted(records.get(0)).values()).containsExactly("c,1", 1.0, 1L, "say \"hi\"");
    assertThat(accepted(records.get(1)).values()).containsExactly("c2", 2.0, 2L, "two\r\nlines");
    assertThat(accepted(records.get(2)).values()).containsExactly("c3", 3.0, 3L, "a\"b");
    assertThat(accepted(records.get(3)).values()).containsExactly("c4", 4.5, 4L, "ünï");
    assertThat(records).extracting(ParsedRecord::rowNumber).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void skipsAByteOrderMarkAndBlankLinesWhichAreNotCounted() throws IOException {
    String text = "\uFEFF" + HEADER + "\nc1,1,1,1,a\n\r\n\nc2,2,2,2,b\n\n";
    List<ParsedRecord> records = readAll(csv(text), PAYMENTS);
    assertThat(records).extracting(ParsedRecord::rowNumber).containsExactly(1L, 2L);
    assertThat(accepted(records.get(1)).values()).containsExactly("c2", 2.0, 2L, "b");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '^', value = {
      "c1,2026-13-01 10:00,1,1,a|column 'ts': '2026-13-01 10:00' is not a timestamp (use ISO-8601 such as 2026-01-31T10:00:00Z)",
      ",2026-01-31T10:00:00Z,1,1,a|column 'card_id': missing key",
      "\"\",2026-01-31T10:00:00Z,1,1,a|column 'card_id': missing key",
      "c1,2026-01-31T10:00:00Z,abc,1,a|column 'amount': 'abc' is not a double",
      "c1,2026-01-31T10:00:00Z,NaN,1,a|column 'amount': 'NaN' is not a double",
      "c1,2026-01-31T10:00:00Z, 1,1,a|column 'amount': ' 1' is not a double",
      "c1,2026-01-31T10:00:00Z,1,1.5,a|column 'items': '1.5' is not a long",
      "c1,2026-01-31T10:00:00Z,-1e400,1,a|column 'amount': '-1e400' is out of range for a double",
      "c1,2026-01-31T10:00:00Z,1,99999999999999999999,a|column 'items': '99999999999999999999' is out of range for a long",
      "c1,2026-01-01T10:00:00,1,1,a|column 'ts': '2026-01-01T10:00:00' has no zone (declare zone: on source payments)",
      "c1,,1,1,a|column 'ts': missing event time",
      "c1,2026-01-01T10:00:00.0005Z,1,1,a|column 'ts': '2026-01-01T10:00:00.0005Z' has sub-millisecond precision (Lockstep keeps milliseconds: round or truncate the times to whole milliseconds)",
      "c1,2026-01-31T10:00:00Z,1,1|row has 4 fields but the header has 5 (no value for column 'merchant')",
      "c1,2026-01-31T10:00:00Z,1,1,a,b|row has 6 fields but the header has 5",
      "c1,2026-01-31T10:00:00Z,1,1,\"a\"b|column 'merchant': it has text after the closing quote (a '\"' inside a quoted value must be doubled)",
      "c1,2026-01-31T10:00:00Z,1,1,\"a|column 'merchant': its quoted value is not closed (a '\"' inside a quoted value must be doubled)",
      "c1,bad,x,y,a|column 'ts': 'bad' is not a timestamp (use ISO-8601 such as 2026-01-31T10:00:00Z)",
      ",2026-01-31T10:00:00Z,x,1,a|column 'card_id': missing key"})
  void rejectsWithOneLineReasonAndTheRawLine(String row, String reason) throws IOException {
    Path file = csv(HEADER + row);
    List<ParsedRecord> records = readAll(file, PAYMENTS);
    assertThat(records).hasSize(1);
    ParsedRecord.Rejected rejected = rejected(records.get(0));
    assertThat(rejected.reason()).isEqualTo(reason);
    assertThat(rejected.raw()).isEqualTo(row);
    assertThat(rejected.rowNumber()).isEqualTo(1);
  }

  @Test
  void rejectsTextThatIsNotUtf8() throws IOException {
    Path file = dir.resolve("payments.csv");
    byte[] head = (HEADER + "c1,2026-01-31T10:00:00Z,1,1,a").getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[head.length + 1];
    System.arraycopy(head, 0, bytes, 0, head.length);
    bytes[head.length] = (byte) 0xC3; // a lead byte with no continuation
    Files.write(file, bytes);
    ParsedRecord.Rejected rejected = rejected(readAll(file, PAYMENTS).get(0));
    assertThat(rejected.reason()).isEqualTo("column 'merchant': its value is not valid UTF-8");
  }

  @Test
  void aRejectedRowDoesNotStopTheNextOnes() throws IOException {
    String text = HEADER + "c1,2026-01-31T10:00:00Z,1,1,\"a\"b,c,d\n" + "c2,2026-01-31T10:00:00Z,2,2,b\n";
    List<ParsedRecord> records = readAll(csv(text), PAYMENTS);
    assertThat(records).hasSize(2);
    assertThat(rejected(records.get(0)).raw()).isEqualTo("c1,2026-01-31T10:00:00Z,1,1,\"a\"b,c,d");
    assertThat(accepted(records.get(1)).values()).containsExactly("c2", 2.0, 2L, "b");
    assertThat(records.get(1).rowNumber()).isEqualTo(2);
  }

  @Test
  void readsZoneLessTimesInTheDeclaredZone() throws IOException {
    Source paris = payments(SourceFormat.CSV, ZoneId.of("Europe/Paris"));
    assertThat(accepted(only("c1,2026-01-01T10:00:00,1,1,a", paris)).eventTimeMillis())
        .isEqualTo(millis("2026-01-01T09:00:00Z"));
    assertThat(accepted(only("c1,2026-07-01 10:00,1,1,a", paris)).eventTimeMillis())
        .isEqualTo(millis("2026-07-01T08:00:00Z"));
    assertThat(accepted(only("c1,2026-07-01T10:00:00+00:00,1,1,a", paris)).eventTimeMillis())
        .isEqualTo(millis("2026-07-01T10:00:00Z"));
  }

  @Test
  void readsTheIngestTimeColumn() throws IOException {
    Source source = payments(SourceFormat.CSV).ingestTime("ingested_at").build();
    Path file = csv("card_id,ts,ingested_at,amount,items,merchant\n"
        + "c1,2026-01-31T10:00:00Z,2026-01-31T10:00:05Z,1,1,a\n"
        + "c1,2026-01-31T10:00:00Z,,1,1,a\n"
        + "c1,2026-01-31T10:00:00Z,soon,1,1,a\n");
    List<ParsedRecord> records = readAll(file, source);
    assertThat(accepted(records.get(0)).ingestTimeMillis())
        .isEqualTo(OptionalLong.of(millis("2026-01-31T10:00:05Z")));
    assertThat(rejected(records.get(1)).reason()).isEqualTo("column 'ingested_at': missing ingest time");
    assertThat(rejected(records.get(2)).reason())
        .isEqualTo("column 'ingested_at': 'soon' is not a timestamp (use ISO-8601 such as 2026-01-31T10:00:00Z)");
  }

  @Test
  void aDeclaredColumnMissingFromTheHeaderFailsTheFile() throws IOException {
    Path file = csv("card_id,ts,amt,items,merchant\nc1,2026-01-31T10:00:00Z,1,1,a\n");
    assertThatThrownBy(() -> SourceFileReader.open(file, PAYMENTS))
        .isInstanceOf(DataFileException.class)
        .hasMessage("Cannot read payments.csv: it has no column 'amount' (the file has card_id, ts, amt, items, merchant)");
  }

  @Test
  void severalMissingColumnsAreNamedTogether() throws IOException {
    Path file = csv("card_id,ts,amt\n");
    assertThatThrownBy(() -> SourceFileReader.open(file, PAYMENTS))
        .isInstanceOf(DataFileException.class)
        .hasMessage("Cannot read payments.csv: it has no columns 'amount', 'items', 'merchant' (the file has card_id, ts, amt)");
  }

  @Test
  void aDeclaredColumnTwiceInTheHeaderFailsTheFile() throws IOException {
    Path file = csv("card_id,ts,amount,items,merchant,amount\n");
    assertThatThrownBy(() -> SourceFileReader.open(file, PAYMENTS))
        .isInstanceOf(DataFileException.class)
        .hasMessage("Cannot read payments.csv: it has column 'amount' twice (rename one of them)");
  }

  @Test
  void anEmptyOrAbsentFileFails() throws IOException {
    Path empty = csv("");
    assertThatThrownBy(() -> SourceFileReader.open(empty, PAYMENTS))
        .isInstanceOf(DataFileException.class)
        .hasMessage("Cannot read payments.csv: it is empty (the first line must name the columns)");
    Path absent = dir.resolve("absent.csv");
    assertThatThrownBy(() -> SourceFileReader.open(absent, PAYMENTS))
        .isInstanceOf(DataFileException.class)
        .hasMessage("Cannot read " + absent + ": there is no such file or directory");
  }

  @Test
  void recordsLongerThanTheBufferAndAcrossItsEdgesAreRead() throws IOException {
    Random random = new Random(11);
    StringBuilder text = new StringBuilder(HEADER);
    String huge = "x".repeat(3 << 20);
    int rows = 60_000;
    for (int i = 0; i < rows; i++) {
      String merchant = i == 30_000 ? "\"" + huge + "\"\"\n\"" : "m" + random.nextInt(1000);
      text.append("c").append(i).append(",").append(1_769_853_600_000L + i).append(",")
          .append(i).append(".25,").append(i).append(",").append(merchant).append(i % 2 == 0 ? "\n" : "\r\n");
    }
    List<ParsedRecord> records = readAll(csv(text.toString()), PAYMENTS);
    assertThat(records).hasSize(rows);
    Random replay = new Random(11);
    for (int i = 0; i < rows; i++) {
      String merchant = i == 30_000 ? huge + "\"\n" : "m" + replay.nextInt(1000);
      ParsedRecord.Accepted record = accepted(records.get(i));
      assertThat(record.eventTimeMillis()).isEqualTo(1_769_853_600_000L + i);
      assertThat(record.values()).containsExactly("c" + i, i + 0.25, (long) i, merchant);
    }
  }
}
