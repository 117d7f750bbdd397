package dev.lockstep.testkit.fakes;

import dev.lockstep.spi.NotFoundException;
import dev.lockstep.spi.eventlog.EventLog;
import dev.lockstep.spi.eventlog.LogEntry;
import dev.lockstep.spi.eventlog.LogRecord;
import dev.lockstep.spi.eventlog.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A hand-written in-memory event log of single-partition streams, for tests of the online runtime. */
public final class MemoryEventLog implements EventLog {
  private final Map<String, List<LogRecord>> streams = new TreeMap<>();

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public synchronized void createStream(String stream, int partitions) {
    if (partitions != 1) {
      throw new IllegalArgumentException("the memory log has one partition per stream");
    }
    streams.putIfAbsent(stream, new ArrayList<>());
  }

  @Override
  public synchronized List<String> streams() {
    return List.copyOf(streams.keySet());
  }

  @Override
  public int partitions(String stream) {
    records(stream);
    return 1;
  }

  @Override
  public synchronized List<Position> append(String stream, List<LogRecord> appended) {
    List<LogRecord> records = records(stream);
    List<Position> positions = new ArrayList<>();
    for (LogRecord record : appended) {
      positions.add(new Position(0, records.size()));
      records.add(record);
    }
    return positions;
  }

  @Override
  public synchronized List<LogEntry> read(String stream, Position from, int maxRecords) {
    List<LogRecord> records = records(stream);
    List<LogEntry> entries = new ArrayList<>();
    for (long offset = from.offset(); offset < records.size() && entries.size() < maxRecords; offset++) {
      entries.add(new LogEntry(new Position(0, offset), records.get((int) offset)));
    }
    return entries;
  }

  @Override
  public List<Position> startPositions(String stream) {
    records(stream);
    return List.of(new Position(0, 0));
  }

  @Override
  public synchronized List<Position> endPositions(String stream) {
    return List.of(new Position(0, records(stream).size()));
  }

  private synchronized List<LogRecord> records(String stream) {
    List<LogRecord> records = streams.get(stream);
    if (records == null) {
      throw new NotFoundException("no stream " + stream);
    }
    return records;
  }

  @Override
  public void close() {}
}
