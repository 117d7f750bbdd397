package dev.lockstep.core.online;

import dev.lockstep.api.LockstepException;
import dev.lockstep.spi.online.OnlineStore;
import dev.lockstep.spi.online.SupportsLeases;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The one-writer rule on an online store several processes can open (Redis): a process applies
 * streams or materializes only while it holds the store's {@value #LEASE} lease, renewed every
 * {@link #RENEW_EVERY} and expiring {@link #TTL} after the last renewal, so a second {@code lockstep
 * serve} or a {@code materialize} next to a running server refuses to start instead of applying
 * the same events twice. If a renewal finds another holder (this process stalled past the TTL), the
 * streams are stopped. A store one process can open at a time (RocksDB) needs no lease.
 */
final class WriterLease implements AutoCloseable {
  static final String LEASE = "writer";
  /** The system property that sets the lease's TTL in seconds (default 15), e.g. for tests. */
  static final String TTL_PROPERTY = "lockstep.writer-lease-seconds";
  static final Duration TTL = Duration.ofSeconds(Long.getLong(TTL_PROPERTY, 15));
  static final Duration RENEW_EVERY = TTL.dividedBy(3);

  private final SupportsLeases store;
  private final String owner;
  private Thread renewer;
  private volatile boolean held;
  private volatile Consumer<String> lost = reason -> {};

  WriterLease(OnlineStore store) {
    this.store = store instanceof SupportsLeases leases ? leases : null;
    this.owner = host() + " pid " + ManagementFactory.getRuntimeMXBean().getPid() + " since " + Instant.now()
        + " (" + UUID.randomUUID().toString().substring(0, 8) + ")";
  }

  /**
   * Takes the lease, waiting up to its TTL for another holder's to lapse (a process that was just
   * killed, being restarted), or fails saying who holds it.
   *
   * @param doing what needs it, e.g. {@code "start streaming"}
   * @throws LockstepException if another process holds it
   */
  synchronized void acquire(String doing) {
    if (store == null || held) {
      return;
    }
    long deadline = System.nanoTime() + TTL.plusSeconds(1).toNanos();
    String holder = store.acquire(LEASE, owner, TTL);
    if (!holder.equals(owner)) {
      System.err.println("lockstep: waiting up to " + TTL.plusSeconds(1).toSeconds() + " s for the writer lease of "
          + store.displayName() + ", held by " + holder);
    }
    while (!holder.equals(owner) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      holder = store.acquire(LEASE, owner, TTL);
    }
    if (!holder.equals(owner)) {
      throw new LockstepException("Cannot " + doing + ": another process writes this project's online state in "
          + store.displayName() + " (" + holder + "); run one lockstep serve per project and stop it before"
          + " lockstep materialize (a stopped process's lease lapses within " + TTL.toSeconds() + " s)");
    }
    held = true;
  }

  /** Keeps renewing the lease until closed; calls {@code lost} once if another process took it. */
  synchronized void keep(Consumer<String> onLoss) {
    this.lost = onLoss;
    if (store == null || renewer != null) {
      return;
    }
    renewer = new Thread(() -> {
      while (held) {
        try {
          Thread.sleep(RENEW_EVERY.toMillis());
        } catch (InterruptedException e) {
          return;
        }
        if (!held) {
          return;
        }
        try {
          String holder = store.acquire(LEASE, owner, TTL);
          if (!holder.equals(owner)) {
            held = false;
            lost.accept("the writer lease in " + store.displayName() + " passed to " + holder
                + " while this process stalled; restart it once that one stops");
            return;
          }
        } catch (RuntimeException e) {
          System.err.println("lockstep: renewing the writer lease failed (" + e.getMessage() + "); retrying");
        }
      }
    }, "lockstep-writer-lease");
    renewer.setDaemon(true);
    renewer.start();
  }

  /** Gives the lease up. */
  @Override
  public synchronized void close() {
    if (store == null || !held) {
      return;
    }
    held = false;
    if (renewer != null) {
      renewer.interrupt();
      renewer = null;
    }
    try {
      store.release(LEASE, owner);
    } catch (RuntimeException e) {
      System.err.println("lockstep: releasing the writer lease failed (" + e.getMessage()
          + "); it lapses within " + TTL.toSeconds() + " s");
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "unknown host";
    }
  }
}
