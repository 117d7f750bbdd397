package dev.lockstep.embedded.iceberg;

import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.SupportsIdempotentAppends.Appended;
import java.nio.file.Path;
import java.util.List;

/**
 * The other process of {@link IdempotentAppendTest}: opens the store in {@code args[0]}, waits
 * until the wall-clock millisecond {@code args[3]}, appends one row of sequence {@code args[2]} to
 * table {@code payments} with commit key {@code args[1]} and prints {@code duplicate=<bool>
 * snapshot=<id>}.
 */
final class AppendProcess {
  public static void main(String[] args) throws InterruptedException {
    long sequence = Long.parseLong(args[2]);
    long startAt = Long.parseLong(args[3]);
    try (IcebergOfflineStore store = IcebergOfflineStore.open(Path.of(args[0]))) {
      Row row = Payments.row(Payments.DAY_ONE + sequence, sequence, "c", 1.0, "m", 1L);
      Thread.sleep(Math.max(0, startAt - System.currentTimeMillis()));
      Appended appended = store.append("payments", List.of(row), args[1]);
      System.out.println(
          "duplicate=" + appended.duplicate() + " snapshot=" + appended.snapshot().id());
    }
  }
}
