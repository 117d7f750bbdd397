package dev.lockstep.postgres;

import dev.lockstep.spi.Backends;
import dev.lockstep.spi.registry.CommitConflictException;
import dev.lockstep.spi.registry.RegistryStore;
import dev.lockstep.spi.registry.RegistryVersion;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * One writer of {@link TwoProcessCommitTest}, run as its own JVM: {@code CommitLoop <namespace>
 * <writer> <updates>}. Prints {@code ready}, waits for a line on standard input, then makes
 * {@code updates} read-modify-write commits, each appending the line {@code "<writer> <i>"} to the
 * document and retrying on conflict, and prints {@code conflicts <n>}.
 */
public final class CommitLoop {
  private CommitLoop() {}

  public static void main(String[] args) throws Exception {
    String namespace = args[0];
    String writer = args[1];
    int updates = Integer.parseInt(args[2]);
    // A pause between reading and committing, as planning takes, so the writers overlap.
    Random random = new Random(writer.hashCode());
    int conflicts = 0;
    try (RegistryStore store =
        Backends.load(
            RegistryStore.class,
            PostgresRegistryStore.NAME,
            Map.of(PostgresRegistryStoreFactory.NAMESPACE, namespace))) {
      System.out.println("ready");
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      for (int i = 0; i < updates; i++) {
        String line = writer + " " + i + "\n";
        while (true) {
          RegistryVersion current = store.current().orElse(null);
          long expected = current == null ? 0 : current.version();
          String document =
              current == null ? "" : new String(current.content(), StandardCharsets.UTF_8);
          LockSupport.parkNanos(random.nextInt(2_000_000));
          try {
            store.commit(expected, (document + line).getBytes(StandardCharsets.UTF_8));
            break;
          } catch (CommitConflictException e) {
            conflicts++;
          }
        }
      }
    }
    System.out.println("conflicts " + conflicts);
  }
}
