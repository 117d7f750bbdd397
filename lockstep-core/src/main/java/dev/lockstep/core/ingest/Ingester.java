package dev.lockstep.core.ingest;

import dev.lockstep.core.internal.OfflineTables;

import dev.lockstep.api.LockstepException;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceColumn;
import dev.lockstep.core.internal.Digests;
import dev.lockstep.core.io.ParsedRecord;
import dev.lockstep.core.io.SourceFileReader;
import dev.lockstep.spi.Capabilities;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.LookaheadIterator;
import dev.lockstep.spi.offline.Column;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.Schema;
import dev.lockstep.spi.offline.Snapshot;
import dev.lockstep.spi.offline.SupportsIdempotentAppends;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Optional;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Loads source files into the offline store: each file is one commit of its source's table,
 * stamped with an ingest time and a durable sequence continuing the table's; rows that do not parse
 * go to the source's quarantine table ({@code <source>__quarantine}) with the reason, file and row
 * number. Rows stream from the file into the table's data files, so a file may be larger than
 * memory; only rejected rows are held until their commit. A file is identified by the SHA-256 of its bytes, so ingesting the same bytes twice
 * appends them once, even across restarts.
 *
 * <p>One process should ingest a given source at a time: sequences are continued from the table's
 * highest, and ingests in this process are serialized per source.
 */
public final class Ingester {
  /** Columns of every quarantine table. */
  public static final Schema QUARANTINE_SCHEMA =
      Schema.of(
          Column.required("file", ValueType.STRING),
          Column.required("row", ValueType.LONG),
          Column.required("reason", ValueType.STRING),
          Column.required("raw", ValueType.STRING));

  /** One lock per source name: ingests of one source in this process run one at a time. */
  private static final java.util.concurrent.ConcurrentHashMap<String, Object> LOCKS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final SupportsIdempotentAppends store;
  private final Clock clock;

  /**
   * @throws dev.lockstep.spi.UnsupportedBackendOperationException if {@code store} cannot append
   *     idempotently
   */
  public Ingester(OfflineStore store, Clock clock) {
    this.store = Capabilities.require(store, SupportsIdempotentAppends.class, "idempotent appends");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The name of {@code source}'s quarantine table. */
  public static String quarantineTable(String source) {
    return source + "__quarantine";
  }

  /** The offline schema of {@code source}'s events: its columns, keys not null. */
  public static Schema tableSchema(Source source) {
    List<Column> columns = new ArrayList<>();
    for (SourceColumn column : source.columns()) {
      boolean key = source.keyColumns().contains(column.name());
      columns.add(new Column(column.name(), column.type(), !key));
    }
    return Schema.of(columns);
  }

  /**
   * Ingests {@code file} into {@code source}'s table.
   *
   * @throws dev.lockstep.core.io.DataFileException if the file cannot be read at all (missing,
   *     not of the source's format, a declared column absent); nothing is appended
   */
  public IngestResult ingest(Source source, Path file) {
    synchronized (lockFor(source.name())) {
      String table = source.name();
      String quarantine = quarantineTable(table);
      OfflineTables.ensure(store, table, tableSchema(source), "ingest into");
      OfflineTables.ensure(store, quarantine, QUARANTINE_SCHEMA, "ingest into");
      String commitKey = "sha256:" + Digests.sha256(file);
      Optional<Snapshot> earlier = store.findCommit(table, commitKey);
      if (earlier.isPresent()) {
        if (store.findCommit(quarantine, commitKey).isEmpty()) {
          // a crash came between the two commits: quarantine the rejects now
          Reader reader = new Reader(source, file, clock.millis(), 0, store.highestSequence(quarantine));
          reader.forEach(row -> {});
          store.append(quarantine, reader.rejected, commitKey);
        }
        return new IngestResult(table, file, 0, 0, true, OptionalLong.of(earlier.get().id()));
      }
      Reader reader =
          new Reader(
              source,
              file,
              clock.millis(),
              store.highestSequence(table),
              store.highestSequence(quarantine));
      // the rows stream into the table's files; rejects are kept aside for the quarantine commit
      SupportsIdempotentAppends.Appended appended = store.append(table, reader, commitKey);
      store.append(quarantine, reader.rejected, commitKey);
      return new IngestResult(
          table,
          file,
          appended.duplicate() ? 0 : reader.accepted,
          reader.rejected.size(),
          appended.duplicate(),
          OptionalLong.of(appended.snapshot().id()));
    }
  }

  /**
   * The accepted rows of one file, read once as they are iterated, stamped with the ingest time
   * (unless the source maps a column to it) and the next sequences; rejected rows are collected as
   * quarantine rows.
   */
  private static final class Reader implements Iterable<Row> {
    private final Source source;
    private final Path file;
    private final long ingestTime;
    private long sequence;
    private long quarantineSequence;
    private long accepted;
    private final List<Row> rejected = new ArrayList<>();

    Reader(Source source, Path file, long ingestTime, long sequence, long quarantineSequence) {
      this.source = source;
      this.file = file;
      this.ingestTime = ingestTime;
      this.sequence = sequence;
      this.quarantineSequence = quarantineSequence;
    }

    @Override
    public Iterator<Row> iterator() {
      CloseableIterator<ParsedRecord> records = SourceFileReader.open(file, source);
      String fileName = file.toString();
      return new LookaheadIterator<>() {
        @Override
        protected Row computeNext() {
          while (records.hasNext()) {
            ParsedRecord record = records.next();
            if (record instanceof ParsedRecord.Accepted row) {
              accepted++;
              return Row.of(
                  row.eventTimeMillis(),
                  row.ingestTimeMillis().orElse(ingestTime),
                  ++sequence,
                  row.values());
            }
            ParsedRecord.Rejected reject = (ParsedRecord.Rejected) record;
            rejected.add(
                Row.of(
                    ingestTime,
                    ingestTime,
                    ++quarantineSequence,
                    fileName,
                    reject.rowNumber(),
                    reject.reason(),
                    reject.raw()));
          }
          records.close();
          return null;
        }

        @Override
        public void close() {
          records.close();
        }
      };
    }
  }

  private static Object lockFor(String source) {
    return LOCKS.computeIfAbsent(source, name -> new Object());
  }
}
