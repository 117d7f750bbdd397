package dev.lockstep.embedded.iceberg;

import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.LookaheadIterator;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * A row-at-a-time scan through Iceberg's generic reader: simple and general (it applies delete
 * files an outside engine may have written), not fast. Batch scans read Parquet directly instead.
 */
final class RowScan extends LookaheadIterator<Row> {
  private final String tableName;
  private final ScanRequest request;
  private final List<String> columns;
  private final CloseableIterable<Record> records;
  private final Iterator<Record> iterator;
  private boolean closed;

  private RowScan(
      String tableName,
      ScanRequest request,
      List<String> columns,
      CloseableIterable<Record> records) {
    this.tableName = tableName;
    this.request = request;
    this.columns = columns;
    this.records = records;
    this.iterator = records.iterator();
  }

  /**
   * Opens a scan of {@code snapshotId} of {@code table} returning {@code columns}, which the caller
   * has checked against the table's schema.
   */
  static RowScan open(
      String tableName, Table table, long snapshotId, ScanRequest request, List<String> columns) {
    List<String> selected = new ArrayList<>(TableLayout.RESERVED);
    selected.addAll(columns);
    CloseableIterable<Record> records =
        IcebergGenerics.read(table)
            .useSnapshot(snapshotId)
            .where(eventTimeFilter(request))
            .select(selected)
            .build();
    return new RowScan(tableName, request, columns, records);
  }

  /**
   * The request's event-time range as an Iceberg filter, for pruning partitions, files and row
   * groups. It is inclusive of every row in the range; rows are still filtered exactly after
   * reading.
   */
  static Expression eventTimeFilter(ScanRequest request) {
    Expression filter = Expressions.alwaysTrue();
    if (request.eventTimeFrom().isPresent()) {
      long from = request.eventTimeFrom().get().toEpochMilli();
      filter =
          Expressions.and(
              filter,
              Expressions.greaterThanOrEqual(TableLayout.EVENT_TIME, TableLayout.micros(from)));
    }
    if (request.eventTimeTo().isPresent()) {
      long to = request.eventTimeTo().get().toEpochMilli();
      filter =
          Expressions.and(
              filter, Expressions.lessThan(TableLayout.EVENT_TIME, TableLayout.micros(to)));
    }
    return filter;
  }

  @Override
  protected Row computeNext() {
    if (closed) {
      return null;
    }
    try {
      while (iterator.hasNext()) {
        Record record = iterator.next();
        long eventTime = millis(record.getField(TableLayout.EVENT_TIME));
        if (request.includes(eventTime)) {
          return toRow(record, eventTime);
        }
      }
      return null;
    } catch (UncheckedIOException e) {
      throw new BackendException(
          "Cannot scan table '" + tableName + "': " + e.getMessage() + " (check the warehouse)", e);
    }
  }

  private Row toRow(Record record, long eventTime) {
    List<Object> values = new ArrayList<>(columns.size());
    for (String column : columns) {
      values.add(record.getField(column));
    }
    return new Row(
        eventTime,
        millis(record.getField(TableLayout.INGEST_TIME)),
        (Long) record.getField(TableLayout.SEQUENCE),
        values);
  }

  private static long millis(Object timestamp) {
    OffsetDateTime time = (OffsetDateTime) timestamp;
    return time.toEpochSecond() * 1000 + time.getNano() / 1_000_000;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        records.close();
      } catch (IOException e) {
        throw new BackendException(
            "Cannot close the scan of table '" + tableName + "': " + e.getMessage(), e);
      }
    }
  }
}
