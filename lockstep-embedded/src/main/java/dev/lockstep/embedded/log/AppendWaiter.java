package dev.lockstep.embedded.log;

import java.util.ArrayDeque;

/**
 * Where one {@code append} call waits for its requests, one per partition it writes to. While it
 * waits, a partition may promote one of its requests: the caller then leads that partition's next
 * group commit. Waiting on the call rather than on one request matters: a caller that waited on
 * partition 0 while holding an unserved promotion for partition 1 could deadlock with another
 * caller doing the opposite.
 */
final class AppendWaiter {
  private final ArrayDeque<AppendRequest> promoted = new ArrayDeque<>();
  private int remaining;

  AppendWaiter(int requests) {
    this.remaining = requests;
  }

  synchronized void promote(AppendRequest request) {
    promoted.add(request);
    notifyAll();
  }

  synchronized void done() {
    remaining--;
    notifyAll();
  }

  /**
   * The next promoted request, whose group the caller must now commit; null once every request is
   * done. Not interruptible: an abandoned promotion would stall its partition. An interrupt is
   * kept for the caller.
   */
  synchronized AppendRequest next() {
    boolean interrupted = false;
    while (promoted.isEmpty() && remaining > 0) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return promoted.poll();
  }
}
