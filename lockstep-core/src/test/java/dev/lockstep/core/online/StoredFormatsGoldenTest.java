package dev.lockstep.core.online;

import dev.lockstep.core.online.state.EventRecords;
import dev.lockstep.core.online.state.ViewLayout;
import dev.lockstep.core.online.state.ViewState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Aggregation;
import dev.lockstep.api.definition.FeatureDefinition;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceFormat;
import dev.lockstep.api.Window;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The golden files of core's stored formats: a logged event ({@code lockstep.event} v1, what the
 * event log holds) and a view state ({@code lockstep.view-state} v1, what the online store holds).
 * Today's code must write the same bytes and read them back to the same values; a format change
 * without a new version fails here. {@link #main} writes the files; run it only when a new version
 * is introduced, never to make this test pass.
 */
class StoredFormatsGoldenTest {
  private static final String EVENT = "golden/event-v1.bin";
  private static final String STATE = "golden/view-state-v1.bin";
  private static final long T0 = 1_796_600_000_000L;
  private static final Source SOURCE = Source.builder("payments", SourceFormat.JSONL)
      .entity("card", "card_id")
      .eventTime("ts")
      .column("card_id", ValueType.STRING)
      .column("amount", ValueType.DOUBLE)
      .column("items", ValueType.LONG)
      .column("merchant", ValueType.STRING)
      .build();
  private static final FeatureView VIEW = FeatureView.builder("card", "payments")
      .aggregate("count_1h", Aggregation.count(), Window.sliding(Duration.ofHours(1)))
      .aggregate("amount_sum_1d", Aggregation.sum("amount"), Window.sliding(Duration.ofDays(1)))
      .aggregate("items_max", Aggregation.max("items"), Window.lifetime())
      .aggregate("merchants_last_3", Aggregation.lastK("merchant", 3), Window.sliding(Duration.ofDays(7)))
      .latest("last_merchant", "merchant", null)
      .build();

  private static byte[] event() {
    Object[] values = {"card-é🙂", 1234.5678, 42L, null};
    return EventRecords.encode(EventRecords.fingerprint(SOURCE), T0 + 123, 987_654_321L, values,
        new EventRecords.Origin(3, 1_048_576L));
  }

  private static ViewState state(ViewLayout layout) {
    ViewState state = ViewState.empty(layout, T0 - 86_400_000L);
    for (int i = 0; i < 50; i++) {
      long eventTime = T0 - 1 - i * 1_700_000L;
      Object[] values = {"card-1", i % 7 == 0 ? null : i * 10.25 - 3, (long) (i * 37 % 101), "m" + i % 9};
      state.apply(eventTime, eventTime + 250, i + 1, values);
    }
    state.expireBefore(T0);
    state.writtenThrough(T0);
    return state;
  }

  @Test
  void aLoggedEventIsWrittenAndReadAsItsGoldenFile() throws IOException {
    byte[] golden = golden(EVENT);
    assertThat(event()).isEqualTo(golden);
    EventRecords.Event event = new EventRecords.Reader(SOURCE, List.of()).decode(golden);
    assertThat(event.eventTime()).isEqualTo(T0 + 123);
    assertThat(event.sequence()).isEqualTo(987_654_321L);
    assertThat(event.values()).containsExactly("card-é🙂", 1234.5678, 42L, null);
    assertThat(event.fileId()).isEqualTo(3);
    assertThat(event.fileOffset()).isEqualTo(1_048_576L);
    byte[] newer = golden.clone();
    newer[0] = 99;
    assertThatThrownBy(() -> new EventRecords.Reader(SOURCE, List.of()).decode(newer))
        .isInstanceOf(CorruptDataException.class);
  }

  @Test
  void aViewStateIsWrittenAndReadAsItsGoldenFile() throws IOException {
    ViewLayout layout = ViewLayout.of(VIEW, SOURCE);
    byte[] golden = golden(STATE);
    ViewState written = state(layout);
    assertThat(written.encode()).isEqualTo(golden);
    ViewState read = ViewState.decode(layout, golden);
    List<Object> expected = new ArrayList<>();
    List<Object> actual = new ArrayList<>();
    for (FeatureDefinition feature : VIEW.features()) {
      ViewLayout.Binding binding = layout.binding(ViewLayout.key(feature)).orElseThrow();
      for (long t : new long[] {T0, T0 + 600_000, T0 + 5 * 86_400_000L}) {
        expected.add(written.evaluate(binding, t).value());
        actual.add(read.evaluate(binding, t).value());
      }
    }
    assertThat(actual).isEqualTo(expected);
    assertThat(actual.get(0)).isEqualTo(3L); // events 0, 1, 2 lie in the hour before T0 (1.7e6 ms apart)
    assertThatThrownBy(() -> ViewState.decode(layout, "not a state".getBytes()))
        .isInstanceOf(CorruptDataException.class);
  }

  private static byte[] golden(String resource) throws IOException {
    try (InputStream in = StoredFormatsGoldenTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as("golden file %s", resource).isNotNull();
      return in.readAllBytes();
    }
  }

  /** Writes the golden files under {@code src/test/resources} of this module (see the class doc). */
  public static void main(String[] args) throws IOException {
    Path directory = Path.of(args.length > 0 ? args[0] : "lockstep-core/src/test/resources");
    Files.createDirectories(directory.resolve("golden"));
    Files.write(directory.resolve(EVENT), event());
    Files.write(directory.resolve(STATE), state(ViewLayout.of(VIEW, SOURCE)).encode());
  }
}
