package dev.lockstep.spi.fake;

import dev.lockstep.spi.AlreadyExistsException;
import dev.lockstep.spi.BackendConfig;
import dev.lockstep.spi.BackendFactory;
import dev.lockstep.spi.NotFoundException;
import dev.lockstep.spi.eventlog.EventLog;
import dev.lockstep.spi.eventlog.LogEntry;
import dev.lockstep.spi.eventlog.LogRecord;
import dev.lockstep.spi.eventlog.Position;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An event log in memory: durable enough for tests, with no truncation or stream deletion. */
public class MemoryEventLog implements EventLog {
  private final Map<String, List<List<LogRecord>>> streams = new TreeMap<>();

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public synchronized void createStream(String stream, int partitions) {
    List<List<LogRecord>> existing = streams.get(stream);
    if (existing != null && existing.size() != partitions) {
      throw new AlreadyExistsException(
          "Cannot create stream '"
              + stream
              + "': it exists with "
              + existing.size()
              + " partitions");
    }
    if (existing == null) {
      List<List<LogRecord>> lists = new ArrayList<>();
      for (int i = 0; i < partitions; i++) {
        lists.add(new ArrayList<>());
      }
      streams.put(stream, lists);
    }
  }

  @Override
  public synchronized List<String> streams() {
    return List.copyOf(streams.keySet());
  }

  @Override
  public synchronized int partitions(String stream) {
    return partitionsOf(stream).size();
  }

  @Override
  public synchronized List<Position> append(String stream, List<LogRecord> records) {
    List<List<LogRecord>> partitions = partitionsOf(stream);
    List<Position> positions = new ArrayList<>();
    for (LogRecord record : records) {
      int partition = Math.floorMod(Arrays.hashCode(record.key()), partitions.size());
      List<LogRecord> log = partitions.get(partition);
      positions.add(new Position(partition, log.size()));
      log.add(record);
    }
    return positions;
  }

  @Override
  public synchronized List<LogEntry> read(String stream, Position from, int maxRecords) {
    List<LogRecord> log = partitionsOf(stream).get(from.partition());
    List<LogEntry> entries = new ArrayList<>();
    for (long offset = from.offset();
        offset < log.size() && entries.size() < maxRecords;
        offset++) {
      entries.add(new LogEntry(new Position(from.partition(), offset), log.get((int) offset)));
    }
    return entries;
  }

  @Override
  public synchronized List<Position> startPositions(String stream) {
    List<Position> positions = new ArrayList<>();
    for (int i = 0; i < partitionsOf(stream).size(); i++) {
      positions.add(Position.start(i));
    }
    return positions;
  }

  @Override
  public synchronized List<Position> endPositions(String stream) {
    List<List<LogRecord>> partitions = partitionsOf(stream);
    List<Position> positions = new ArrayList<>();
    for (int i = 0; i < partitions.size(); i++) {
      positions.add(new Position(i, partitions.get(i).size()));
    }
    return positions;
  }

  private List<List<LogRecord>> partitionsOf(String stream) {
    List<List<LogRecord>> partitions = streams.get(stream);
    if (partitions == null) {
      throw new NotFoundException("Cannot find stream '" + stream + "': no such stream in memory");
    }
    return partitions;
  }

  @Override
  public void close() {}

  /** Registered in META-INF/services. */
  public static final class Factory implements BackendFactory<EventLog> {
    @Override
    public String name() {
      return "memory";
    }

    @Override
    public Class<EventLog> role() {
      return EventLog.class;
    }

    @Override
    public EventLog create(BackendConfig config) {
      return new MemoryEventLog();
    }
  }
}
