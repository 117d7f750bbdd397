package dev.lockstep.core.ingest;

import java.nio.file.Files;
import dev.lockstep.core.internal.OfflineTables;

import dev.lockstep.api.LockstepException;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceColumn;
import dev.lockstep.core.internal.Digests;
import dev.lockstep.io.ParsedRecord;
import dev.lockstep.io.SourceFileReader;
import dev.lockstep.io.SourceRows;
import dev.lockstep.core.quality.BreakerOpenException;
import dev.lockstep.core.quality.Breakers;
import dev.lockstep.core.quality.ContractGate;
import dev.lockstep.core.quality.QualityMetrics;
import dev.lockstep.core.quality.QualityRuns;
import dev.lockstep.core.quality.Quarantine;
import dev.lockstep.core.quality.Violation;
import dev.lockstep.api.definition.DataContract;
import java.util.Map;
import java.util.TreeMap;
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
 * stamped with an ingest time and a durable sequence continuing the table's. Every row passes the
 * source's quality gate: rows that do not parse (rule {@code schema}) or fail a rule of its data
 * contract go to the source's quarantine table ({@code <source>__quarantine}) with the rule, the
 * reason, file and row number and the raw row. A file that breaks the contract's volume rule, or
 * whose failures open the source's circuit breaker, is refused as a whole: its failing rows are
 * quarantined and nothing is appended to the table; a source whose breaker is open refuses ingests. Rows stream from the file into the table's data files, so a file may be larger than
 * memory; only rejected rows are held until their commit. A file is identified by the SHA-256 of its bytes, so ingesting the same bytes twice
 * appends them once, even across restarts.
 *
 * <p>One process should ingest a given source at a time: sequences are continued from the table's
 * highest, and ingests in this process are serialized per source.
 */
public final class Ingester {
  /** Columns of every quarantine table (see {@link Quarantine#SCHEMA}). */
  public static final Schema QUARANTINE_SCHEMA = Quarantine.SCHEMA;

  /** One lock per source name: ingests of one source in this process run one at a time. */
  private static final java.util.concurrent.ConcurrentHashMap<String, Object> LOCKS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final SupportsIdempotentAppends store;
  private final Clock clock;
  private final Breakers breakers;

  /**
   * @param breakers the project's circuit breakers, or null for none
   * @throws dev.lockstep.spi.UnsupportedBackendOperationException if {@code store} cannot append
   *     idempotently
   */
  public Ingester(OfflineStore store, Clock clock, Breakers breakers) {
    this.store = Capabilities.require(store, SupportsIdempotentAppends.class, "idempotent appends");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.breakers = breakers;
  }

  /** An ingester without data contracts or circuit breakers: only the schema is checked. */
  public Ingester(OfflineStore store, Clock clock) {
    this(store, clock, null);
  }

  /** The name of {@code source}'s quarantine table. */
  public static String quarantineTable(String source) {
    return Quarantine.table(source);
  }

  /** The offline schema of {@code source}'s events: its columns, keys not null. */
  public static Schema tableSchema(Source source) {
    return OfflineTables.tableSchema(source);
  }

  /** Ingests {@code file} into {@code source}'s table, checking only the schema. */
  public IngestResult ingest(Source source, Path file) {
    return ingest(source, Optional.empty(), file);
  }

  /**
   * Ingests {@code file} into {@code source}'s table through the gate of {@code contract}.
   *
   * @throws dev.lockstep.io.DataFileException if the file cannot be read at all (missing,
   *     not of the source's format, a declared column absent); nothing is appended
   * @throws dev.lockstep.core.quality.BreakerOpenException if the source's circuit breaker is open
   *     or this file opens it; nothing is appended to the table
   * @throws LockstepException if the file breaks the contract's volume rule; nothing is appended to
   *     the table
   */
  public IngestResult ingest(Source source, Optional<DataContract> contract, Path file) {
    requireRegularFile(file);
    return ingest(source, contract, file, "sha256:" + Digests.sha256(file));
  }

  /** @throws DataFileException if {@code file} is missing, a directory, or not a regular file */
  private static void requireRegularFile(Path file) {
    if (Files.isRegularFile(file)) {
      return;
    }
    throw new dev.lockstep.io.DataFileException("Cannot read " + file + ": " + (!Files.exists(file)
        ? "there is no such file"
        : Files.isDirectory(file) ? "it is a directory (give the files in it: lockstep ingest SOURCE DIR/*)"
            : "it is not a regular file (give a CSV, JSON lines or Parquet file)"));
  }

  /**
   * Ingests {@code file} like {@link #ingest(Source, Optional, Path)}, idempotent by {@code commitKey}
   * instead of the file's bytes: for a file whose bytes can recur with other meaning, such as a
   * quarantine replay of rows that were quarantined again with new ids.
   */
  public IngestResult ingest(Source source, Optional<DataContract> contract, Path file, String commitKey) {
    synchronized (lockFor(source.name())) {
      String table = source.name();
      String quarantine = quarantineTable(table);
      OfflineTables.ensure(store, table, tableSchema(source), "ingest into");
      OfflineTables.ensure(store, quarantine, QUARANTINE_SCHEMA, "ingest into");
      ContractGate gate = ContractGate.of(source, contract);
      Optional<Snapshot> earlier = store.findCommit(table, commitKey);
      if (earlier.isPresent()) {
        if (store.findCommit(quarantine, commitKey).isEmpty()) {
          // a crash came between the two commits: quarantine the rejects now
          Reader reader = new Reader(gate, file, clock.millis(), 0, store.highestSequence(quarantine), null, new long[2]);
          reader.forEach(row -> {});
          store.append(quarantine, reader.rejected, commitKey);
        }
        return new IngestResult(table, file, 0, 0, true, OptionalLong.of(earlier.get().id()));
      }
      String action = "ingest " + file + " into source '" + table + "'";
      if (breakers != null) {
        breakers.refresh();
        breakers.requireClosed(table, action);
      }
      long[] earlierRuns = earlierIngests(table);
      Reader reader =
          new Reader(
              gate,
              file,
              clock.millis(),
              store.highestSequence(table),
              store.highestSequence(quarantine),
              breakers,
              earlierRuns);
      // the rows stream into the table's files; rejects are kept aside for the quarantine commit
      SupportsIdempotentAppends.Appended appended;
      try {
        appended = store.append(table, reader, commitKey);
      } catch (Refused refused) {
        store.append(quarantine, reader.rejected, commitKey);
        recordRun(reader, table, file, commitKey,
            refused.violation == null ? "refused: circuit breaker" : "refused: " + refused.violation.rule());
        String quarantined = reader.rejected.isEmpty() ? "" : "; " + reader.rejected.size()
            + " failing rows are in " + quarantine;
        if (refused.violation == null) {
          throw new BreakerOpenException(table, "Cannot " + action + ": this file opened the source's circuit breaker ("
              + breakers.state(table).reason() + "); nothing was appended" + quarantined + " (inspect them with"
              + " lockstep quarantine list " + table + ", fix the data or the contract, then run lockstep breaker"
              + " reset " + table + " and ingest again)");
        }
        throw new LockstepException("Cannot " + action + ": " + refused.violation.reason() + " ("
            + refused.violation.rule() + "); nothing was appended" + quarantined
            + " (fix the file or the contract's volume rule, then ingest again)");
      }
      store.append(quarantine, reader.rejected, commitKey);
      recordRun(reader, table, file, commitKey, QualityRuns.APPENDED);
      return new IngestResult(
          table,
          file,
          appended.duplicate() ? 0 : reader.accepted,
          reader.rejected.size(),
          appended.duplicate(),
          OptionalLong.of(appended.snapshot().id()),
          reader.byRule,
          reader.metrics == null ? Map.of() : reader.metrics.toMap());
    }
  }

  /**
   * The rows and failures of the source's earlier ingests within its breaker's interval, by any
   * process; zeros without a breaker.
   */
  private long[] earlierIngests(String source) {
    if (breakers == null || breakers.policy(source).isEmpty()) {
      return new long[2];
    }
    java.time.Instant since = clock.instant().minus(breakers.policy(source).orElseThrow().interval());
    long[] earlier = new long[2];
    for (QualityRuns.Run run : QualityRuns.since(store, source, since)) {
      earlier[0] += run.rows();
      earlier[1] += run.failed();
    }
    return earlier;
  }

  private void recordRun(Reader reader, String source, Path file, String commitKey, String outcome) {
    QualityRuns.record(store, commitKey, new QualityRuns.Run(source, java.time.Instant.ofEpochMilli(reader.ingestTime),
        file.toString(), reader.read, reader.rejected.size(), outcome,
        reader.metrics == null ? Map.of() : reader.metrics.toMap()));
  }

  /** Thrown from the row iterator to abort the table's commit: a volume violation, or null if the breaker opened. */
  private static final class Refused extends RuntimeException {
    final transient Violation violation;

    Refused(Violation violation) {
      super(violation == null ? "breaker opened" : violation.reason(), null, false, false);
      this.violation = violation;
    }
  }

  /**
   * The accepted rows of one file, read once as they are iterated, stamped with the ingest time
   * (unless the source maps a column to it) and the next sequences; rows that do not parse or fail
   * the gate are collected as quarantine rows. At the end, the volume rule and the breaker judge the
   * whole file, and abort the table's commit by throwing {@link Refused} if either refuses it.
   */
  private static final class Reader implements Iterable<Row> {
    private final ContractGate gate;
    private final Path file;
    private final long ingestTime;
    private final Breakers breakers;
    private long sequence;
    private long quarantineSequence;
    private long accepted;
    private long read;
    private final List<Row> rejected = new ArrayList<>();
    private final Map<String, Long> byRule = new TreeMap<>();
    private QualityMetrics metrics;
    private final long[] earlier;

    /** @param earlier the rows and failures of the source's earlier ingests within the breaker's interval */
    Reader(ContractGate gate, Path file, long ingestTime, long sequence, long quarantineSequence,
        Breakers breakers, long[] earlier) {
      this.earlier = earlier;
      this.gate = gate;
      this.file = file;
      this.ingestTime = ingestTime;
      this.sequence = sequence;
      this.quarantineSequence = quarantineSequence;
      this.breakers = breakers;
    }

    @Override
    public Iterator<Row> iterator() {
      SourceRows records = SourceFileReader.open(file, gate.source());
      ContractGate.Batch batch = gate.batch();
      String fileName = file.toString();
      return new LookaheadIterator<>() {
        @Override
        protected Row computeNext() {
          while (records.hasNext()) {
            ParsedRecord record = records.next();
            read++;
            Violation violation;
            String raw;
            if (record instanceof ParsedRecord.Accepted row) {
              long rowIngestTime = row.ingestTimeMillis().orElse(ingestTime);
              violation = batch.check(row.eventTimeMillis(), rowIngestTime, row.values(), row.rowNumber());
              if (violation == null) {
                accepted++;
                return Row.of(row.eventTimeMillis(), rowIngestTime, ++sequence, row.values());
              }
              raw = records.raw();
            } else {
              ParsedRecord.Rejected reject = (ParsedRecord.Rejected) record;
              batch.metrics().schemaFailure();
              violation = Violation.schema(reject.reason());
              raw = reject.raw();
            }
            byRule.merge(violation.rule(), 1L, Long::sum);
            Row quarantined = Quarantine.row(ingestTime, Quarantine.Origin.INGEST, fileName, record.rowNumber(),
                violation, raw, records.header());
            rejected.add(new Row(ingestTime, ingestTime, ++quarantineSequence, quarantined.values()));
          }
          records.close();
          Violation volume = batch.volume(read);
          metrics = batch.metrics();
          if (volume != null) {
            throw new Refused(volume);
          }
          if (breakers != null && breakers.recordBatch(gate.source().name(), read, rejected.size(), earlier[0], earlier[1],
              "ingest " + fileName)) {
            throw new Refused(null);
          }
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
