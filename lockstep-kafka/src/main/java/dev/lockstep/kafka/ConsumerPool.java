package dev.lockstep.kafka;

import dev.lockstep.api.LockstepException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * Consumers lent to one thread at a time, since a Kafka consumer is not thread-safe. Made on
 * demand; at most {@value #MAX_IDLE} are kept between uses, so a burst of concurrent readers costs
 * connections only while it lasts. A consumer whose use failed with a client error is closed
 * rather than kept, so its state never leaks into the next use.
 */
final class ConsumerPool implements AutoCloseable {
  private static final int MAX_IDLE = 4;
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final Supplier<Consumer<byte[], byte[]>> factory;
  private final Deque<Consumer<byte[], byte[]>> idle = new ArrayDeque<>();
  private boolean closed;

  ConsumerPool(Supplier<Consumer<byte[], byte[]>> factory) {
    this.factory = factory;
  }

  /** The result of {@code work} on a consumer this thread has to itself meanwhile. */
  <T> T apply(Function<Consumer<byte[], byte[]>, T> work) {
    Consumer<byte[], byte[]> consumer = borrow();
    boolean reusable = false;
    try {
      T result = work.apply(consumer);
      reusable = true;
      return result;
    } catch (LockstepException e) {
      reusable = true; // Lockstep's own verdicts (not found, ...) leave the consumer as it was
      throw e;
    } finally {
      giveBack(consumer, reusable);
    }
  }

  private Consumer<byte[], byte[]> borrow() {
    synchronized (idle) {
      if (closed) {
        throw new IllegalStateException("Cannot read: the consumers are closed");
      }
      Consumer<byte[], byte[]> consumer = idle.pollFirst();
      if (consumer != null) {
        return consumer;
      }
    }
    return factory.get();
  }

  private void giveBack(Consumer<byte[], byte[]> consumer, boolean reusable) {
    synchronized (idle) {
      if (reusable && !closed && idle.size() < MAX_IDLE) {
        idle.addFirst(consumer);
        return;
      }
    }
    closeQuietly(consumer);
  }

  /** Closes the idle consumers now and the lent ones when they come back. Idempotent. */
  @Override
  public void close() {
    List<Consumer<byte[], byte[]>> toClose;
    synchronized (idle) {
      closed = true;
      toClose = new ArrayList<>(idle);
      idle.clear();
    }
    toClose.forEach(ConsumerPool::closeQuietly);
  }

  private static void closeQuietly(Consumer<byte[], byte[]> consumer) {
    try {
      consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
    } catch (RuntimeException e) {
      // It holds no state worth saving: Lockstep never commits offsets.
    }
  }
}
