package dev.lockstep.api.definition;

import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.ValueType;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where the events of one entity come from: files of one format (or an existing Iceberg table),
 * with the columns holding the entity's keys, the event time, optionally the ingest time, and typed
 * payload columns. Ingested events land in the offline table named after the source.
 *
 * <p>Timestamps in a file must carry a zone or offset unless {@link #zone()} is declared; then
 * zone-less timestamps are read in that zone.
 *
 * @param name unique among sources; also the offline table's name
 * @param format how the files are stored
 * @param path the default file or directory to ingest, or the table location for {@code iceberg};
 *     may be empty for file sources that are always ingested with explicit files
 * @param entity the entity whose events these are
 * @param keyColumns the columns holding the entity's join keys, in the entity's key order
 * @param eventTimeColumn the column holding when each event happened
 * @param zone the zone of zone-less timestamps, if the files have such
 * @param ingestTimeColumn the column holding when each event was accepted upstream, if any;
 *     otherwise the ingest's commit time is used
 * @param columns the typed payload columns; key columns are listed here too with their types
 * @param maxFuture how far ahead of its ingest time an event may be dated ({@code event_time −
 *     ingest_time}); an event beyond it is quarantined (rule {@value #MAX_FUTURE_RULE}) on every
 *     write path, and training sets and the online store skip one that reached the offline table
 *     before the bound was lowered. Default {@link #DEFAULT_MAX_FUTURE}.
 */
public record Source(
    String name,
    SourceFormat format,
    String path,
    String entity,
    List<String> keyColumns,
    String eventTimeColumn,
    Optional<ZoneId> zone,
    Optional<String> ingestTimeColumn,
    List<SourceColumn> columns,
    Duration maxFuture) {

  /** How far ahead of its ingest time an event may be dated unless the source says otherwise. */
  public static final Duration DEFAULT_MAX_FUTURE = Duration.ofMinutes(5);
  /** The rule an event dated too far ahead is quarantined under. */
  public static final String MAX_FUTURE_RULE = "max_future";

  /** A source with the default {@link #maxFuture()}. */
  public Source(String name, SourceFormat format, String path, String entity, List<String> keyColumns,
      String eventTimeColumn, Optional<ZoneId> zone, Optional<String> ingestTimeColumn, List<SourceColumn> columns) {
    this(name, format, path, entity, keyColumns, eventTimeColumn, zone, ingestTimeColumn, columns, DEFAULT_MAX_FUTURE);
  }

  /** @throws InvalidDefinitionException if the definition is inconsistent in itself */
  public Source {
    Names.identifier("source", name);
    Objects.requireNonNull(format, "format");
    path = path == null ? "" : path;
    Names.identifier("entity of source " + name, entity);
    keyColumns = Names.list(keyColumns);
    columns = Names.list(columns);
    zone = zone == null ? Optional.empty() : zone;
    ingestTimeColumn = ingestTimeColumn == null ? Optional.empty() : ingestTimeColumn;
    maxFuture = maxFuture == null ? DEFAULT_MAX_FUTURE : maxFuture;
    if (maxFuture.isNegative() || maxFuture.isZero() || maxFuture.getNano() % 1_000_000 != 0) {
      throw new InvalidDefinitionException("Cannot define source '" + name + "': max_future " + maxFuture
          + " is not a positive whole number of milliseconds (write a duration such as 1m)");
    }
    Names.column("event-time column of source " + name, eventTimeColumn);
    if (keyColumns.isEmpty()) {
      throw new InvalidDefinitionException(
          "Cannot define source '" + name + "': it has no key column (add keys: [card_id])");
    }
    Set<String> seen = new LinkedHashSet<>();
    for (SourceColumn column : columns) {
      if (!seen.add(column.name())) {
        throw new InvalidDefinitionException(
            "Cannot define source '" + name + "': column '" + column.name() + "' is listed twice");
      }
      if (column.name().equals(eventTimeColumn)
          || ingestTimeColumn.map(column.name()::equals).orElse(false)) {
        throw new InvalidDefinitionException(
            "Cannot define source '"
                + name
                + "': time column '"
                + column.name()
                + "' must not be listed under columns (it is declared as a time)");
      }
    }
    for (String key : keyColumns) {
      if (!seen.contains(key)) {
        throw new InvalidDefinitionException(
            "Cannot define source '"
                + name
                + "': key column '"
                + key
                + "' is not among its columns (add it with its type, e.g. "
                + key
                + ": string)");
      }
    }
  }

  /**
   * Whether an event dated {@code eventTimeMillis} and ingested at {@code ingestTimeMillis} is within
   * {@link #maxFuture()}: {@code event_time − ingest_time ≤ max_future}, computed without overflow.
   * Every path that writes, trains on or serves the source's events applies this one predicate.
   */
  public boolean acceptsEventTime(long eventTimeMillis, long ingestTimeMillis) {
    if (eventTimeMillis <= ingestTimeMillis) {
      return true;
    }
    return Long.compareUnsigned(eventTimeMillis - ingestTimeMillis, maxFuture.toMillis()) <= 0;
  }

  /** This source with {@code maxFuture} as its bound. */
  public Source withMaxFuture(Duration maxFuture) {
    return new Source(name, format, path, entity, keyColumns, eventTimeColumn, zone, ingestTimeColumn, columns,
        maxFuture);
  }

  /** The payload column named {@code name}, if there is one. */
  public Optional<SourceColumn> column(String name) {
    return columns.stream().filter(column -> column.name().equals(name)).findFirst();
  }

  /** A builder for a source of {@code format} named {@code name}. */
  public static Builder builder(String name, SourceFormat format) {
    return new Builder(name, format);
  }

  /** Builds a {@link Source}; every setter returns this builder. */
  public static final class Builder {
    private final String name;
    private final SourceFormat format;
    private String path = "";
    private String entity;
    private final List<String> keyColumns = new ArrayList<>();
    private String eventTimeColumn;
    private ZoneId zone;
    private String ingestTimeColumn;
    private final List<SourceColumn> columns = new ArrayList<>();
    private Duration maxFuture = DEFAULT_MAX_FUTURE;

    private Builder(String name, SourceFormat format) {
      this.name = name;
      this.format = format;
    }

    public Builder path(String path) {
      this.path = path;
      return this;
    }

    /** The entity and the columns holding its join keys, in key order. */
    public Builder entity(String entity, String... keyColumns) {
      this.entity = entity;
      this.keyColumns.addAll(List.of(keyColumns));
      return this;
    }

    public Builder eventTime(String column) {
      this.eventTimeColumn = column;
      return this;
    }

    public Builder zone(ZoneId zone) {
      this.zone = zone;
      return this;
    }

    public Builder ingestTime(String column) {
      this.ingestTimeColumn = column;
      return this;
    }

    /** How far ahead of its ingest time an event may be dated; see {@link Source#maxFuture()}. */
    public Builder maxFuture(Duration maxFuture) {
      this.maxFuture = maxFuture;
      return this;
    }

    public Builder column(String name, ValueType type) {
      columns.add(new SourceColumn(name, type));
      return this;
    }

    /** @throws InvalidDefinitionException if the definition is inconsistent in itself */
    public Source build() {
      return new Source(
          name,
          format,
          path,
          entity,
          keyColumns,
          eventTimeColumn,
          Optional.ofNullable(zone),
          Optional.ofNullable(ingestTimeColumn),
          columns,
          maxFuture);
    }
  }
}
