package dev.lockstep.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.LockstepException;
import dev.lockstep.spi.eventlog.EventLog;
import dev.lockstep.spi.fake.PlainOnlineStore;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.spi.online.OnlineStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnsupportedBackendOperationExceptionTest {

  @Test
  void saysWhichBackendDoesNotSupportWhichOperation() {
    UnsupportedBackendOperationException e =
        UnsupportedBackendOperationException.of(new PlainOnlineStore(), "snapshot reads");

    assertThat(e)
        .isInstanceOf(LockstepException.class)
        .hasMessage("plain does not support snapshot reads");
    assertThat(e.backend()).isEqualTo("plain");
    assertThat(e.operation()).isEqualTo("snapshot reads");
  }

  @Test
  void appendsAHintInParentheses() {
    assertThat(
            UnsupportedBackendOperationException.of(
                new PlainOnlineStore(), "snapshot reads", "use iceberg"))
        .hasMessage("plain does not support snapshot reads (use iceberg)");
  }

  @Test
  void failsLoudlyFromOptionalOperationsNotImplemented() {
    OnlineStore online = Backends.load(OnlineStore.class, "memory", Map.of());
    EventLog log = Backends.load(EventLog.class, "memory", Map.of());
    OfflineStore offline = Backends.load(OfflineStore.class, "memory", Map.of());

    assertThatThrownBy(() -> online.dropView("fraud"))
        .isExactlyInstanceOf(UnsupportedBackendOperationException.class)
        .hasMessage("Memory does not support dropping views");
    assertThatThrownBy(() -> log.deleteStream("payments"))
        .isExactlyInstanceOf(UnsupportedBackendOperationException.class)
        .hasMessage("memory does not support deleting streams");
    assertThatThrownBy(() -> offline.dropTable("payments"))
        .isExactlyInstanceOf(UnsupportedBackendOperationException.class)
        .hasMessage("Memory does not support dropping tables");
  }

  @Test
  void isWhatAStoreWithoutSnapshotReadsThrowsForAnOldSnapshot() {
    OfflineStore offline = Backends.load(OfflineStore.class, "memory", Map.of());
    offline.createTable("payments", dev.lockstep.spi.offline.Schema.of());

    assertThatThrownBy(() -> offline.scan("payments", ScanRequest.atSnapshot(42)))
        .isExactlyInstanceOf(UnsupportedBackendOperationException.class)
        .hasMessage(
            "Memory does not support snapshot reads (scan the latest snapshot, "
                + "or use an offline store with snapshot reads such as iceberg)");
  }
}
