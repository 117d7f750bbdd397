package dev.lockstep.core.quality;

import dev.lockstep.core.internal.SystemTables;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.Schema;
import java.util.Arrays;
import java.util.Locale;

/**
 * The quarantine of a source: the offline table {@code <source>__quarantine}, one row per refused
 * row with where it came from, the rule it failed, why, and its raw payload as received. Event and
 * ingest time of a quarantine row are when it was quarantined.
 */
public final class Quarantine {
  /** Columns of every quarantine table, by position. */
  public static final int POSITION = 0;
  public static final int ROW = 1;
  public static final int REASON = 2;
  public static final int RAW = 3;
  public static final int RULE = 4;
  public static final int ORIGIN = 5;
  public static final int HEADER = 6;

  /**
   * The columns: {@code position} (the file, {@code push}, or the feed's topic, partition and
   * offset), {@code row} (the row number in a file, the index in a push, the offset in a feed),
   * {@code reason}, {@code raw}, {@code rule}, {@code origin} ({@link Origin}) and {@code header}
   * (a CSV file's header line, so its raw line can be read again; null otherwise).
   */
  public static final Schema SCHEMA = SystemTables.QUARANTINE_SCHEMA;

  /** How a quarantined row arrived, which decides how it is replayed. */
  public enum Origin {
    /** A batch ingest of a file: replayed as a batch ingest. */
    INGEST,
    /** Pushed over the API: replayed into the stream. */
    PUSH,
    /** A line of a tailed file: replayed into the stream. */
    TAIL,
    /** A record of a feed such as a Kafka topic: replayed into the stream. */
    FEED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException if {@code label} names no origin */
    public static Origin of(String label) {
      return Arrays.stream(values()).filter(origin -> origin.label().equals(label)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("Unknown quarantine origin '" + label + "'"));
    }

    /** Whether rows of this origin go back through the stream (not a batch ingest). */
    public boolean streamed() {
      return this != INGEST;
    }
  }

  private Quarantine() {}

  /** The name of {@code source}'s quarantine table. */
  public static String table(String source) {
    return SystemTables.quarantine(source).name();
  }

  /**
   * How many rows {@code source} ever quarantined: the highest sequence of its quarantine table
   * (they are numbered from 1 without gaps); 0 if there is none.
   */
  public static long total(dev.lockstep.spi.offline.OfflineStore store, String source) {
    String table = table(source);
    return store instanceof dev.lockstep.spi.offline.SupportsIdempotentAppends appends && store.tables().contains(table)
        ? appends.highestSequence(table) : 0;
  }

  /** A quarantine row, numbered later by whoever appends it. */
  public static Row row(long now, Origin origin, String position, long row, Violation violation, String raw,
      String header) {
    return new Row(now, now, 0, Arrays.asList(position, row, violation.reason(), raw, violation.rule(),
        origin.label(), header));
  }
}
