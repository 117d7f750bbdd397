package dev.lockstep.core.online.stream;

import dev.lockstep.core.online.state.EventRecords;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.api.CorruptDataException;
import dev.lockstep.io.PushedEvents;
import dev.lockstep.spi.NotFoundException;
import dev.lockstep.spi.eventlog.EventLog;
import dev.lockstep.spi.eventlog.LogEntry;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * What followers of external inputs (a tailed file, a Kafka topic's partitions) share: each event
 * they make durable carries its origin (an id for the file or partition, and the offset just past
 * the record), so after a crash a follower finds in the log itself how far it got, and resumes
 * there with nothing lost or read twice.
 */
public final class Origins {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Origins() {}

  /** The origin id of an input named {@code name}: a CRC-32 of it. */
  public static int id(String name) {
    CRC32 crc = new CRC32();
    crc.update(name.getBytes(StandardCharsets.UTF_8));
    return (int) crc.getValue();
  }

  /**
   * For each of {@code ids}, the highest origin offset among the events of {@code stream}'s log from
   * offset {@code from} on; ids without such an event are absent.
   */
  public static Map<Integer, Long> scan(SourceStream stream, EventLog log, long from, Set<Integer> ids) {
    Map<Integer, Long> resume = new HashMap<>();
    String name = stream.source().name();
    long end = log.endPositions(name).get(0).offset();
    long next = Math.max(from, log.startPositions(name).get(0).offset());
    while (next < end) {
      java.util.List<LogEntry> entries;
      try {
        entries = SourceStream.readSome(log, name, next, Applier.READ_BATCH);
      } catch (NotFoundException truncated) {
        next = log.startPositions(name).get(0).offset();
        continue;
      }
      for (LogEntry entry : entries) {
        try {
          EventRecords.Event event = stream.events().decode(entry.record().value());
          if (event.tailed() && ids.contains(event.fileId())) {
            resume.merge(event.fileId(), event.fileOffset(), Math::max);
          }
        } catch (CorruptDataException e) {
          // not ours to judge here: the applier counts it
        }
      }
      next = entries.get(entries.size() - 1).position().offset() + 1;
    }
    return resume;
  }

  /**
   * {@code text} as one event of the converter's source, or why it is refused: it is not JSON, not
   * a JSON object, or does not fit the source. {@code what} names the text in reasons ({@code
   * "line"}, {@code "record"}).
   */
  public static PushedEvents.Converted parse(PushedEvents converter, String text, String what) {
    try {
      Object parsed = JSON.readValue(text, Object.class);
      if (parsed instanceof Map<?, ?> map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> event = (Map<String, Object>) map;
        return converter.convert(event);
      }
      return refused("the " + what + " is not a JSON object");
    } catch (JsonProcessingException e) {
      return refused("the " + what + " is not JSON (" + e.getOriginalMessage() + ")");
    }
  }

  public static PushedEvents.Converted refused(String reason) {
    return new PushedEvents.Converted(0, null, reason);
  }
}
