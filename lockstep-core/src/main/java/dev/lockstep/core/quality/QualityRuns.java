package dev.lockstep.core.quality;

import dev.lockstep.core.internal.SystemTables;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.core.internal.OfflineTables;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.spi.offline.Schema;
import dev.lockstep.spi.offline.SupportsIdempotentAppends;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One row per batch ingest judged by a quality gate, in the offline table {@value #TABLE}: the
 * source, the file, rows judged and failed, the outcome ({@code appended}, {@code refused: volume},
 * {@code refused: circuit breaker}) and the file's quality metrics as JSON. It is what {@code
 * lockstep status} shows as a source's last ingest, and the window of a source's circuit breaker
 * across ingests made by separate processes.
 */
public final class QualityRuns {
  /** The table of batch quality runs. */
  public static final String TABLE = SystemTables.QUALITY_RUNS.name();
  static final Schema SCHEMA = SystemTables.QUALITY_RUNS.schema();
  /** Outcome of an ingest whose rows were appended. */
  public static final String APPENDED = "appended";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One judged ingest. */
  public record Run(String source, Instant at, String position, long rows, long failed, String outcome,
      Map<String, Object> metrics) {
    /** The run as JSON-friendly values for status pages. */
    public Map<String, Object> toMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("at", at.toString());
      map.put("position", position);
      map.put("rows", rows);
      map.put("quarantined", failed);
      map.put("outcome", outcome);
      map.put("metrics", metrics);
      return map;
    }
  }

  private QualityRuns() {}

  /**
   * Records a judged ingest, once per {@code commitKey} (the ingest's own key: a retried ingest
   * records nothing new).
   */
  public static void record(SupportsIdempotentAppends store, String commitKey, Run run) {
    String json;
    try {
      json = JSON.writeValueAsString(run.metrics());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write quality metrics as JSON: " + e.getMessage(), e);
    }
    long at = run.at().toEpochMilli();
    Row row = new Row(at, at, 0, List.of(run.source(), run.position(), run.rows(), run.failed(), run.outcome(), json));
    OfflineTables.appendNumbered(store, TABLE, SCHEMA, "append to", List.of(row), "quality:" + commitKey);
  }

  /** The runs of {@code source} at or after {@code since}, oldest first. */
  public static List<Run> since(OfflineStore store, String source, Instant since) {
    List<Run> runs = new ArrayList<>();
    if (!store.tables().contains(TABLE)) {
      return runs;
    }
    try (CloseableIterator<Row> rows = store.scan(TABLE, ScanRequest.latest())) {
      while (rows.hasNext()) {
        Row row = rows.next();
        if (row.value(0).equals(source) && row.eventTimeMillis() >= since.toEpochMilli()) {
          runs.add(run(row));
        }
      }
    }
    runs.sort(Comparator.comparing(Run::at));
    return runs;
  }

  /** The newest run of {@code source}, if any. */
  public static Optional<Run> latest(OfflineStore store, String source) {
    List<Run> runs = since(store, source, Instant.EPOCH);
    return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(runs.size() - 1));
  }

  private static Run run(Row row) {
    Map<String, Object> metrics;
    try {
      metrics = JSON.readValue((String) row.value(5), new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (JsonProcessingException e) {
      metrics = Map.of();
    }
    return new Run((String) row.value(0), Instant.ofEpochMilli(row.eventTimeMillis()), (String) row.value(1),
        (Long) row.value(2), (Long) row.value(3), (String) row.value(4), metrics);
  }
}
