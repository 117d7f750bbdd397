package dev.lockstep.spi.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.Snapshot.Operation;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default snapshot lookups, over a store that only lists snapshots. */
class SnapshotDefaultsTest {
  private static final Snapshot FIRST =
      new Snapshot(71, Instant.ofEpochSecond(10), Operation.APPEND);
  private static final Snapshot SECOND =
      new Snapshot(5, Instant.ofEpochSecond(20), Operation.DELETE);

  private static SupportsSnapshotReads storeWith(List<Snapshot> snapshots) {
    return new SupportsSnapshotReads() {
      @Override
      public List<Snapshot> snapshots(String table) {
        return snapshots;
      }

      @Override
      public String name() {
        return "listing";
      }

      @Override
      public void close() {}

      @Override
      public void createTable(String table, Schema schema) {}

      @Override
      public List<String> tables() {
        return List.of("t");
      }

      @Override
      public Schema schema(String table) {
        return Schema.of();
      }

      @Override
      public long append(String table, List<Row> rows) {
        return 0;
      }

      @Override
      public CloseableIterator<Row> scan(String table, ScanRequest request) {
        return CloseableIterator.of(List.<Row>of().iterator());
      }
    };
  }

  @Test
  void theCurrentSnapshotIsTheLastListed() {
    assertThat(storeWith(List.of(FIRST, SECOND)).currentSnapshot("t")).contains(SECOND);
    assertThat(storeWith(List.of()).currentSnapshot("t")).isEmpty();
  }

  @Test
  void theSnapshotAsOfATimeIsTheLastCommittedAtOrBeforeIt() {
    SupportsSnapshotReads store = storeWith(List.of(FIRST, SECOND));

    assertThat(store.snapshotAsOf("t", Instant.ofEpochSecond(9))).isEmpty();
    assertThat(store.snapshotAsOf("t", Instant.ofEpochSecond(10))).contains(FIRST);
    assertThat(store.snapshotAsOf("t", Instant.ofEpochSecond(19))).contains(FIRST);
    assertThat(store.snapshotAsOf("t", Instant.ofEpochSecond(20))).contains(SECOND);
    assertThat(store.snapshotAsOf("t", Instant.ofEpochSecond(99))).contains(SECOND);
  }
}
