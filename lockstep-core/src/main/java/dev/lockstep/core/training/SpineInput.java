package dev.lockstep.core.training;

import dev.lockstep.spi.CloseableIterator;
import java.util.List;

/** The rows a training set is built for, read once, in order; their columns pass through. */
public interface SpineInput {

  /** The spine's column names, in order. */
  List<String> columns();

  /** The rows, from the first, each with one value per column. */
  CloseableIterator<Object[]> open();

  /**
   * The query time of {@code row}, epoch millis.
   *
   * @throws IllegalArgumentException with a one-line reason if the row's time cannot be read
   */
  long timeMillis(Object[] row);

  /** About how many rows the spine has, to size partitions; -1 if unknown. */
  default long estimatedRows() {
    return -1;
  }
}
