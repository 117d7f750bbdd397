package dev.lockstep.spi.offline;

import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.NotFoundException;
import dev.lockstep.spi.UnsupportedBackendOperationException;
import java.util.List;

/**
 * An offline store that scans in columnar batches, without a boxed {@link Row} per event, and in
 * independent pieces that several threads can read at once. Training sets and backfills read
 * hundreds of millions of events this way.
 */
public interface SupportsBatchScans extends OfflineStore {

  /**
   * Splits the scan {@code request} describes into independent tasks that together return exactly
   * the rows {@link #scan} would, each once, with the same columns, snapshot and event-time range
   * semantics. Tasks may be opened in any order and on any threads.
   *
   * @param maxBatchRows the most rows any returned batch holds
   * @throws NotFoundException if there is no such table, column or snapshot
   * @throws UnsupportedBackendOperationException as {@link #scan}
   * @throws IllegalArgumentException if {@code maxBatchRows < 1}
   */
  List<ScanTask> planBatchScan(String table, ScanRequest request, int maxBatchRows);

  /** One independent piece of a batch scan, for example one data file. */
  interface ScanTask {
    /** The number of rows this task will return, or an estimate when the store cannot tell. */
    long estimatedRows();

    /**
     * Opens the task's rows as batches; each batch is a new object the caller may keep. Each call
     * reads the task again from the start.
     */
    CloseableIterator<RowBatch> open();
  }
}
