package dev.lockstep.bench.online;

import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceColumn;
import dev.lockstep.spi.eventlog.LogRecord;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The log record the online runtime's group committer writes for a pushed event, so the raw-log
 * peer appends the same bytes: key = the entity key ({@link FraudProject#keyBytes}); value = format
 * {@code lockstep.event} version 1 as core's {@code EventRecords} documents it (version byte, schema
 * fingerprint, event time, sequence, per column a tag and the value, origin byte 0 for pushed).
 */
final class EventRecordBytes {
  private final Source source;
  private final int fingerprint;

  EventRecordBytes(Source source) {
    this.source = source;
    CRC32 crc = new CRC32();
    for (SourceColumn column : source.columns()) {
      crc.update((column.name() + ":" + column.type() + ";").getBytes(StandardCharsets.UTF_8));
    }
    this.fingerprint = (int) crc.getValue();
  }

  LogRecord record(Map<String, Object> event, long sequence, long ingestTime) {
    ByteArrayOutputStream value = new ByteArrayOutputStream(96);
    ByteBuffer header = ByteBuffer.allocate(21).put((byte) 1).putInt(fingerprint)
        .putLong(((Number) event.get(source.eventTimeColumn())).longValue()).putLong(sequence);
    value.writeBytes(header.array());
    for (SourceColumn column : source.columns()) {
      Object raw = event.get(column.name());
      if (raw == null) {
        value.write(0);
        continue;
      }
      switch (column.type()) {
        case LONG -> value.writeBytes(ByteBuffer.allocate(9).put((byte) 1).putLong(((Number) raw).longValue()).array());
        case DOUBLE -> value.writeBytes(ByteBuffer.allocate(9).put((byte) 2)
            .putLong(Double.doubleToRawLongBits(((Number) raw).doubleValue())).array());
        case STRING -> {
          byte[] utf8 = raw.toString().getBytes(StandardCharsets.UTF_8);
          value.writeBytes(ByteBuffer.allocate(5).put((byte) 3).putInt(utf8.length).array());
          value.writeBytes(utf8);
        }
      }
    }
    value.write(0);
    byte[] key = FraudProject.keyBytes((String) event.get("card_id"));
    return new LogRecord(key, value.toByteArray(), ingestTime);
  }
}
