package dev.lockstep.embedded.log;

import dev.lockstep.spi.eventlog.LogRecord;
import dev.lockstep.spi.eventlog.Position;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process {@link LocalEventLogCrashTest} kills with SIGKILL: opens the log in {@code args[0]}
 * (small segments, fsync on), creates stream {@value #STREAM} if missing, prints {@code READY},
 * then appends forever from {@code args[2]} threads in batches of 1 to 5 records, payload ids
 * counting up from {@code args[1]}, and prints {@code ACK <partition> <offset> <payload-id>} for
 * every record of a batch once its append returned.
 */
final class CrashAppender {
  static final String STREAM = "events";
  static final int PARTITIONS = 4;
  static final long SEGMENT_BYTES = 256 << 10;

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    AtomicLong ids = new AtomicLong(Long.parseLong(args[1]));
    int threads = Integer.parseInt(args[2]);
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        // Halting anyway.
      }
      Runtime.getRuntime().halt(3);
    });
    watchdog.setDaemon(true);
    watchdog.start();
    LocalEventLog log = LocalEventLog.open(dir, SEGMENT_BYTES, true);
    log.createStream(STREAM, PARTITIONS);
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false,
        StandardCharsets.US_ASCII);
    out.println("READY");
    out.flush();
    for (int thread = 0; thread < threads; thread++) {
      long seed = thread;
      new Thread(() -> append(log, ids, new Random(seed), out)).start();
    }
  }

  private static void append(LocalEventLog log, AtomicLong ids, Random random, PrintStream out) {
    while (true) {
      List<LogRecord> batch = new ArrayList<>();
      long[] batchIds = new long[1 + random.nextInt(5)];
      for (int i = 0; i < batchIds.length; i++) {
        batchIds[i] = ids.getAndIncrement();
        batch.add(record(batchIds[i]));
      }
      List<Position> positions = log.append(STREAM, batch);
      StringBuilder acks = new StringBuilder();
      for (int i = 0; i < batchIds.length; i++) {
        acks.append("ACK ").append(positions.get(i).partition()).append(' ')
            .append(positions.get(i).offset()).append(' ').append(batchIds[i]).append('\n');
      }
      synchronized (out) {
        out.print(acks);
        out.flush();
      }
    }
  }

  /** The record of payload {@code id}: its bytes follow from the id alone. */
  static LogRecord record(long id) {
    byte[] value = new byte[8 + (int) (id % 300)];
    ByteBuffer.wrap(value).putLong(id);
    for (int i = 8; i < value.length; i++) {
      value[i] = (byte) (id * 31 + i);
    }
    return new LogRecord(("key-" + id % 23).getBytes(StandardCharsets.UTF_8), value, id);
  }
}
