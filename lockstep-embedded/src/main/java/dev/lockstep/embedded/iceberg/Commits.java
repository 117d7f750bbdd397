package dev.lockstep.embedded.iceberg;

import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.OutcomeUnknownException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotAncestryValidator;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Commits appends and reads back what Lockstep records in snapshot summaries: the commit key of an
 * idempotent append ({@value #COMMIT_KEY}) and the highest row sequence ever appended ({@value
 * #HIGHEST_SEQUENCE}), which every Lockstep append carries forward.
 *
 * <p><b>Algorithm.</b> Both values depend on the parent snapshot: the key must not be in its
 * history and the highest sequence is the parent's, raised by the new rows. Iceberg retries a
 * conflicting commit on a refreshed parent by itself, which would keep stale values, so each commit
 * carries a validator that rejects any parent other than the one the values were computed from.
 * This loop then refreshes, looks for the key again (another process may have committed it
 * meanwhile) and recomputes. Only the history of the current snapshot counts: snapshots expired by
 * Iceberg maintenance take their keys with them.
 */
final class Commits {
  static final String COMMIT_KEY = "lockstep.commit-key";
  static final String HIGHEST_SEQUENCE = "lockstep.highest-sequence";
  static final int MAX_ATTEMPTS = 50;

  private Commits() {}

  /** The outcome of {@link #append}: the snapshot holding the files and whether it was earlier. */
  record Outcome(Snapshot snapshot, boolean duplicate) {}

  /**
   * Commits {@code files} to {@code table} as one append snapshot, tagged with {@code commitKey}
   * unless it is null, raising the recorded highest sequence to at least {@code highestInRows}. If
   * the key is already in the table's history, deletes {@code files} and returns that snapshot.
   *
   * @throws BackendException if nothing was committed; {@code files} are deleted
   * @throws OutcomeUnknownException if the commit may have happened; {@code files} are kept
   */
  static Outcome append(
      String tableName, Table table, List<DataFile> files, long highestInRows, String commitKey) {
    for (int attempt = 1; ; attempt++) {
      table.refresh();
      if (commitKey != null) {
        Optional<Snapshot> earlier = find(table, commitKey);
        if (earlier.isPresent()) {
          deleteQuietly(table, files);
          return new Outcome(earlier.get(), true);
        }
      }
      Snapshot parent = table.currentSnapshot();
      Long parentId = parent == null ? null : parent.snapshotId();
      ParentCheck check = new ParentCheck(parentId);
      AppendFiles append = table.newAppend().validateWith(check);
      files.forEach(append::appendFile);
      if (commitKey != null) {
        append.set(COMMIT_KEY, commitKey);
      }
      long highest = Math.max(highestSequence(table, parent), highestInRows);
      append.set(HIGHEST_SEQUENCE, Long.toString(highest));
      try {
        append.commit();
        return new Outcome(childOf(table, parentId), false);
      } catch (CommitStateUnknownException e) {
        throw new OutcomeUnknownException(
            "Cannot tell whether the append to table '"
                + tableName
                + "' was committed: "
                + e.getMessage()
                + " (compare its snapshots before retrying"
                + (commitKey == null ? "" : ", or append again with the same commit key")
                + ")",
            e);
      } catch (ValidationException | CommitFailedException e) {
        boolean lostRace = e instanceof CommitFailedException || check.rejected;
        if (!lostRace || attempt >= MAX_ATTEMPTS) {
          deleteQuietly(table, files);
          throw new BackendException(
              "Cannot append to table '"
                  + tableName
                  + "': "
                  + (lostRace
                      ? "other writers committed first " + attempt + " times in a row"
                      : e.getMessage())
                  + " (nothing was committed; retry later)",
              e);
        }
        // Back off a little, at random, so that competing writers stop colliding.
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1_000_000, 20_000_000));
      }
    }
  }

  /** The snapshot of {@code table}'s history tagged with {@code commitKey}, newest first. */
  static Optional<Snapshot> find(Table table, String commitKey) {
    for (Snapshot snapshot : SnapshotUtil.currentAncestors(table)) {
      if (commitKey.equals(summary(snapshot, COMMIT_KEY))) {
        return Optional.of(snapshot);
      }
    }
    return Optional.empty();
  }

  /**
   * The highest sequence recorded at {@code snapshot}: its own summary's, or its nearest ancestor's
   * if a writer other than Lockstep committed it; 0 if none.
   */
  static long highestSequence(Table table, Snapshot snapshot) {
    if (snapshot == null) {
      return 0;
    }
    for (Snapshot ancestor : SnapshotUtil.ancestorsOf(snapshot.snapshotId(), table::snapshot)) {
      String value = summary(ancestor, HIGHEST_SEQUENCE);
      if (value != null) {
        return Long.parseLong(value);
      }
    }
    return 0;
  }

  /**
   * The readable history of {@code table}: the current snapshot and its ancestors, oldest first.
   */
  static List<dev.lockstep.spi.offline.Snapshot> history(Table table) {
    List<dev.lockstep.spi.offline.Snapshot> history = new ArrayList<>();
    for (Snapshot snapshot : SnapshotUtil.currentAncestors(table)) {
      history.add(toLockstep(snapshot));
    }
    Collections.reverse(history);
    return history;
  }

  /**
   * The Lockstep view of an Iceberg snapshot. Iceberg's {@code delete} and {@code overwrite} remove
   * rows and map to {@code DELETE}; {@code append} and {@code replace} (compaction, which changes
   * no row) map to {@code APPEND}.
   */
  static dev.lockstep.spi.offline.Snapshot toLockstep(Snapshot snapshot) {
    String operation = snapshot.operation();
    boolean removes =
        DataOperations.DELETE.equals(operation) || DataOperations.OVERWRITE.equals(operation);
    return new dev.lockstep.spi.offline.Snapshot(
        snapshot.snapshotId(),
        Instant.ofEpochMilli(snapshot.timestampMillis()),
        removes
            ? dev.lockstep.spi.offline.Snapshot.Operation.DELETE
            : dev.lockstep.spi.offline.Snapshot.Operation.APPEND);
  }

  /** The snapshot committed on top of {@code parentId}: unique, since the history is linear. */
  private static Snapshot childOf(Table table, Long parentId) {
    table.refresh();
    for (Snapshot snapshot : SnapshotUtil.currentAncestors(table)) {
      if (Objects.equals(snapshot.parentId(), parentId)) {
        return snapshot;
      }
    }
    throw new IllegalStateException("Committed snapshot with parent " + parentId + " not found");
  }

  private static String summary(Snapshot snapshot, String key) {
    return snapshot.summary() == null ? null : snapshot.summary().get(key);
  }

  private static void deleteQuietly(Table table, List<DataFile> files) {
    for (DataFile file : files) {
      try {
        table.io().deleteFile(file.location());
      } catch (RuntimeException e) {
        // An orphan file is harmless: no snapshot refers to it.
      }
    }
  }

  /** Rejects a commit whose parent is no longer the one its summary was computed from. */
  private static final class ParentCheck implements SnapshotAncestryValidator {
    private final Long expectedParent;
    private boolean rejected;

    ParentCheck(Long expectedParent) {
      this.expectedParent = expectedParent;
    }

    @Override
    public boolean validate(Iterable<Snapshot> ancestry) {
      var iterator = ancestry.iterator();
      Long parent = iterator.hasNext() ? iterator.next().snapshotId() : null;
      rejected = !Objects.equals(parent, expectedParent);
      return !rejected;
    }

    @Override
    public String errorMessage() {
      return "the table changed since the commit was prepared";
    }
  }
}
