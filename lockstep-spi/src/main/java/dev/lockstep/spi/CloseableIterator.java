package dev.lockstep.spi;

import java.util.Iterator;
import java.util.Objects;

/**
 * An iterator over data a backend streams from storage. Always close it, even when not exhausted,
 * typically with try-with-resources; closing releases files, connections and memory. Not
 * thread-safe. {@link #hasNext()} and {@link #next()} may throw {@link BackendException} if storage
 * fails mid-scan.
 *
 * @param <T> the element type
 */
public interface CloseableIterator<T> extends Iterator<T>, AutoCloseable {

  /** Releases the resources behind this iterator. Idempotent; never throws a checked exception. */
  @Override
  void close();

  /** An iterator over {@code iterator} whose {@link #close()} does nothing. */
  static <T> CloseableIterator<T> of(Iterator<? extends T> iterator) {
    Objects.requireNonNull(iterator, "iterator");
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return iterator.hasNext();
      }

      @Override
      public T next() {
        return iterator.next();
      }

      @Override
      public void close() {}
    };
  }
}
