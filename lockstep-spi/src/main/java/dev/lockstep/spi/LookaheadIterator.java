package dev.lockstep.spi;

import java.util.NoSuchElementException;

/**
 * A {@link CloseableIterator} over elements computed one ahead: subclasses implement {@link
 * #computeNext()}, which returns the next element or null at the end, and {@link #close()}. Not
 * thread-safe; null elements are not supported.
 *
 * @param <T> the element type
 */
public abstract class LookaheadIterator<T> implements CloseableIterator<T> {
  private T next;
  private boolean done;

  /** The next element, or null when there is none; not called again after it returned null. */
  protected abstract T computeNext();

  @Override
  public final boolean hasNext() {
    if (next == null && !done) {
      next = computeNext();
      done = next == null;
    }
    return next != null;
  }

  @Override
  public final T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    T element = next;
    next = null;
    return element;
  }
}
