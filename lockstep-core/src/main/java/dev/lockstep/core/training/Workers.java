package dev.lockstep.core.training;

import dev.lockstep.api.LockstepException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs jobs on a fixed number of worker threads, each knowing its worker id (so it can own files),
 * and rethrows the first failure after stopping the others.
 */
final class Workers {
  /** A job run by worker {@code worker}. */
  interface Job {
    void run(int worker) throws Exception;
  }

  /** Per-worker cleanup after the worker's last job, success or failure. */
  interface Finish {
    void run(int worker);
  }

  private Workers() {}

  static void run(int threads, List<Job> jobs, Finish finish) {
    ConcurrentLinkedQueue<Job> queue = new ConcurrentLinkedQueue<>(jobs);
    int workers = Math.max(1, Math.min(threads, jobs.size()));
    AtomicInteger threadIds = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            workers,
            runnable -> {
              Thread thread = new Thread(runnable, "lockstep-training-" + threadIds.getAndIncrement());
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int worker = 0; worker < workers; worker++) {
        int id = worker;
        futures.add(
            executor.submit(
                () -> {
                  try {
                    Job job;
                    while ((job = queue.poll()) != null && !Thread.currentThread().isInterrupted()) {
                      job.run(id);
                    }
                  } finally {
                    finish.run(id);
                  }
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        try {
          future.get();
        } catch (ExecutionException e) {
          queue.clear();
          executor.shutdownNow();
          throw rethrow(e.getCause());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LockstepException("Cannot finish the training set: interrupted", e);
    } finally {
      executor.shutdownNow();
    }
  }

  private static RuntimeException rethrow(Throwable cause) {
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new LockstepException("Cannot finish the training set: " + cause.getMessage(), cause);
  }
}
