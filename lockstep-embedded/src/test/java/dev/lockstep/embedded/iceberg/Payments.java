package dev.lockstep.embedded.iceberg;

import dev.lockstep.api.ValueType;
import dev.lockstep.spi.offline.Column;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.RowBatch;
import dev.lockstep.spi.offline.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** The test table: a payments source with every column type, nullable and not. */
final class Payments {
  static final Schema SCHEMA =
      Schema.of(
          Column.required("card_id", ValueType.STRING),
          Column.nullable("amount", ValueType.DOUBLE),
          Column.nullable("merchant", ValueType.STRING),
          Column.nullable("items", ValueType.LONG));

  /** 2024-03-01T00:00:00Z. */
  static final long DAY_ONE = Instant.parse("2024-03-01T00:00:00Z").toEpochMilli();

  static final long DAY = 86_400_000L;

  private Payments() {}

  static Row row(
      long eventTime, long sequence, String card, Double amount, String merchant, Long items) {
    return Row.of(eventTime, eventTime + 5, sequence, card, amount, merchant, items);
  }

  /**
   * {@code count} random rows over {@code days} days from {@link #DAY_ONE}, sequences from {@code
   * firstSequence}, about a tenth of each nullable value null.
   */
  static List<Row> random(Random random, int count, int days, long firstSequence) {
    List<Row> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long eventTime = DAY_ONE + (long) (random.nextDouble() * days * DAY);
      rows.add(
          Row.of(
              eventTime,
              eventTime + random.nextInt(60_000),
              firstSequence + i,
              "card-" + random.nextInt(500),
              random.nextInt(10) == 0 ? null : Math.round(random.nextDouble() * 100_000) / 100.0,
              random.nextInt(10) == 0 ? null : "merchant-" + random.nextInt(50) + "-é",
              random.nextInt(10) == 0 ? null : (long) random.nextInt(20)));
    }
    return rows;
  }

  /** The rows of {@code batches}, boxed. */
  static List<Row> rowsOf(List<RowBatch> batches) {
    List<Row> rows = new ArrayList<>();
    for (RowBatch batch : batches) {
      for (int row = 0; row < batch.size(); row++) {
        List<Object> values = new ArrayList<>();
        for (int column = 0; column < batch.schema().size(); column++) {
          values.add(batch.value(column, row));
        }
        rows.add(
            new Row(
                batch.eventTimes()[row], batch.ingestTimes()[row], batch.sequences()[row], values));
      }
    }
    return rows;
  }

  /** {@code rows} sorted by sequence, for comparing scans that return rows in no fixed order. */
  static List<Row> bySequence(List<Row> rows) {
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparingLong(Row::sequence));
    return sorted;
  }
}
