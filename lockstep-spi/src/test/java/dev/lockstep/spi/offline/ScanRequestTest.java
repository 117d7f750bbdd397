package dev.lockstep.spi.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScanRequestTest {
  private static final Instant T0 = Instant.ofEpochMilli(1_000);
  private static final Instant T1 = Instant.ofEpochMilli(2_000);

  @Test
  void readsEverythingOfTheLatestSnapshotByDefault() {
    ScanRequest request = ScanRequest.latest();

    assertThat(request.snapshotId()).isEmpty();
    assertThat(request.eventTimeFrom()).isEmpty();
    assertThat(request.eventTimeTo()).isEmpty();
    assertThat(request.columns()).isEmpty();
    assertThat(request.includes(Long.MIN_VALUE)).isTrue();
    assertThat(request)
        .hasToString("ScanRequest{snapshot=latest, eventTime=[-inf, +inf), columns=all}");
  }

  @Test
  void includesTheStartOfTheRangeButNotTheEnd() {
    ScanRequest request = ScanRequest.atSnapshot(9).withEventTimeRange(T0, T1);

    assertThat(request.snapshotId()).hasValue(9);
    assertThat(request.includes(999)).isFalse();
    assertThat(request.includes(1_000)).isTrue();
    assertThat(request.includes(1_999)).isTrue();
    assertThat(request.includes(2_000)).isFalse();
  }

  @Test
  void leavesANullBoundOpen() {
    ScanRequest request = ScanRequest.latest().withEventTimeRange(null, T1);

    assertThat(request.includes(Long.MIN_VALUE)).isTrue();
    assertThat(request.includes(2_000)).isFalse();
    assertThat(request.eventTimeFrom()).isEmpty();
    assertThat(request.eventTimeTo()).contains(T1);
  }

  @Test
  void roundsSubMillisecondBoundsUpWithoutChangingWhichEventsAreIn() {
    ScanRequest request =
        ScanRequest.latest().withEventTimeRange(T0.plusNanos(1), T1.plusNanos(500_000));

    assertThat(request.includes(1_000)).isFalse();
    assertThat(request.includes(1_001)).isTrue();
    assertThat(request.includes(2_000)).isTrue();
    assertThat(request.includes(2_001)).isFalse();
    assertThat(request.eventTimeFrom()).contains(Instant.ofEpochMilli(1_001));
  }

  @Test
  void rejectsARangeThatEndsBeforeItStarts() {
    assertThatThrownBy(() -> ScanRequest.latest().withEventTimeRange(T1, T0))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot scan event times from 1970-01-01T00:00:02Z to 1970-01-01T00:00:01Z: "
                + "the range ends before it starts");
  }

  @Test
  void selectsColumnsAndRejectsRepeats() {
    ScanRequest request = ScanRequest.latest().withColumns(List.of("b", "a"));

    assertThat(request.columns()).containsExactly("b", "a");
    assertThat(request).isEqualTo(ScanRequest.latest().withColumns(List.of("b", "a")));
    assertThat(request).isNotEqualTo(ScanRequest.latest().withColumns(List.of("a", "b")));
    assertThatThrownBy(() -> ScanRequest.latest().withColumns(List.of("a", "a")))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot scan columns [a, a]: a column is named twice");
  }

  @Test
  void keepsEarlierChoicesWhenNarrowing() {
    ScanRequest request =
        ScanRequest.atSnapshot(3).withColumns(List.of("a")).withEventTimeRange(T0, null);

    assertThat(request.snapshotId()).hasValue(3);
    assertThat(request.columns()).containsExactly("a");
    assertThat(request)
        .hasToString(
            "ScanRequest{snapshot=3, eventTime=[1970-01-01T00:00:01Z, +inf), columns=[a]}");
  }
}
