package dev.lockstep.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.ValueType;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceFormat;
import dev.lockstep.spi.CloseableIterator;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** The sources and helpers the reader tests share. */
final class SourceFixtures {
  private SourceFixtures() {}

  /** payments: key card_id (string), event time ts, amount (double), items (long), merchant. */
  static Source.Builder payments(SourceFormat format) {
    return Source.builder("payments", format)
        .entity("card", "card_id")
        .eventTime("ts")
        .column("card_id", ValueType.STRING)
        .column("amount", ValueType.DOUBLE)
        .column("items", ValueType.LONG)
        .column("merchant", ValueType.STRING);
  }

  static Source payments(SourceFormat format, ZoneId zone) {
    return payments(format).zone(zone).build();
  }

  static List<ParsedRecord> readAll(Path file, Source source) {
    List<ParsedRecord> records = new ArrayList<>();
    try (CloseableIterator<ParsedRecord> iterator = SourceFileReader.open(file, source)) {
      iterator.forEachRemaining(records::add);
    }
    return records;
  }

  static ParsedRecord.Accepted accepted(ParsedRecord record) {
    assertThat(record).isInstanceOf(ParsedRecord.Accepted.class);
    return (ParsedRecord.Accepted) record;
  }

  static ParsedRecord.Rejected rejected(ParsedRecord record) {
    assertThat(record).isInstanceOf(ParsedRecord.Rejected.class);
    return (ParsedRecord.Rejected) record;
  }

  static long millis(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }
}
