package dev.lockstep.cli;

import dev.lockstep.core.training.TrainingSetListener;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prints a long build's progress to stderr at most twice a second: one line per phase, updated in
 * place on a terminal, and one line per update otherwise (so logs stay readable).
 */
final class ProgressBar implements TrainingSetListener {
  private static final long INTERVAL_NANOS = 500_000_000L;

  private final PrintStream out;
  private final boolean terminal = System.console() != null;
  private final AtomicLong done = new AtomicLong();
  private volatile String phase;
  private volatile long total;
  private volatile long lastPrinted;
  private final long started = System.nanoTime();

  ProgressBar(PrintStream out) {
    this.out = out;
  }

  @Override
  public synchronized void phase(String name, long total) {
    if (phase != null) {
      print(true);
    }
    this.phase = name;
    this.total = total;
    this.done.set(0);
    this.lastPrinted = 0;
  }

  @Override
  public void progress(long units) {
    done.addAndGet(units);
    long now = System.nanoTime();
    if (now - lastPrinted > INTERVAL_NANOS) {
      synchronized (this) {
        if (now - lastPrinted > INTERVAL_NANOS) {
          lastPrinted = now;
          print(false);
        }
      }
    }
  }

  synchronized void finish() {
    if (phase != null) {
      print(true);
      phase = null;
    }
  }

  private void print(boolean last) {
    long count = last && total > 0 ? total : done.get();
    String amount =
        total > 0 ? String.format("%3d%%", Math.min(100, 100 * count / total)) : String.format("%,d", count);
    String line = String.format("%-20s %s  %5.1f s", phase, amount, (System.nanoTime() - started) / 1e9);
    if (terminal) {
      out.print("\r" + line + (last ? System.lineSeparator() : ""));
    } else if (last || count > 0) {
      out.println(line);
    }
    out.flush();
  }
}
