package dev.lockstep.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.FeatureStatus;
import dev.lockstep.api.client.FeatureVector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ServedProfilesTest {
  private static final long MINUTE = 60_000;

  @Test
  void aSnapshotCoversTheBucketsOfTheWindowAndOlderOnesExpire() {
    ServedProfiles profiles = new ServedProfiles(); // 1 hour in 12 buckets of 5 minutes
    profiles.record("fraud", List.of(vector(1.0, "a"), vector(2.0, "b")), 0);
    profiles.record("fraud", List.of(vector(3.0, "a")), 30 * MINUTE);
    profiles.record("other", List.of(vector(100.0, "z")), 30 * MINUTE);

    ServiceProfile full = profiles.snapshot("fraud", 60 * MINUTE - 1); // buckets 0..11
    assertThat(full.rows()).isEqualTo(3);
    assertThat(full.from()).isEqualTo(Instant.EPOCH.toString());
    assertThat(full.to()).isEqualTo(Instant.ofEpochMilli(60 * MINUTE - 1).toString());
    FeatureProfile amount = full.feature("v__amount").orElseThrow();
    assertThat(amount.type()).isEqualTo("double");
    assertThat(amount.values()).isEqualTo(3);
    assertThat(amount.min()).isEqualTo(1.0);
    assertThat(amount.mean()).isEqualTo(2.0);
    assertThat(full.feature("v__merchant").orElseThrow().categories()).containsExactly(Map.entry("a", 2L), Map.entry("b", 1L));

    ServiceProfile later = profiles.snapshot("fraud", 60 * MINUTE); // buckets 1..12: the first expired
    assertThat(later.rows()).isEqualTo(1);
    assertThat(later.from()).isEqualTo(Instant.ofEpochMilli(5 * MINUTE).toString());
    assertThat(later.feature("v__amount").orElseThrow().max()).isEqualTo(3.0);

    ServiceProfile empty = profiles.snapshot("fraud", 95 * MINUTE);
    assertThat(empty.rows()).isZero();
    assertThat(empty.features()).isEmpty();
    assertThat(profiles.snapshot("unknown", 0).features()).isEmpty();
    assertThat(profiles.services()).containsExactlyInAnyOrder("fraud", "other");
  }

  @Test
  void lateRecordsLandInTheirBucketOrAreDroppedOnceExpired() {
    ServedProfiles profiles = new ServedProfiles(Duration.ofMinutes(10), 2, 100);
    profiles.record("fraud", List.of(vector(1.0, "a")), 12 * MINUTE); // bucket 2
    profiles.record("fraud", List.of(vector(2.0, "a")), 7 * MINUTE);  // bucket 1, still live
    profiles.record("fraud", List.of(vector(3.0, "a")), 4 * MINUTE);  // bucket 0, expired: dropped
    ServiceProfile snapshot = profiles.snapshot("fraud", 12 * MINUTE);
    assertThat(snapshot.rows()).isEqualTo(2);
    assertThat(snapshot.feature("v__amount").orElseThrow().min()).isEqualTo(1.0);
    assertThat(snapshot.feature("v__amount").orElseThrow().max()).isEqualTo(2.0);
    // a snapshot in the past sees only what was recorded up to then
    assertThat(profiles.snapshot("fraud", 9 * MINUTE).rows()).isEqualTo(1);
  }

  @Test
  void nullsAndColumnsMetLaterAreCounted() {
    ServedProfiles profiles = new ServedProfiles();
    profiles.record("fraud", List.of(vector(null, "a")), 0);
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("v__amount", 2L);
    values.put("v__new", "x");
    profiles.record("fraud", List.of(new FeatureVector(Map.of("card_id", "c1"), Instant.EPOCH, values,
        Map.of("v__amount", FeatureStatus.PRESENT, "v__new", FeatureStatus.PRESENT))), 1);
    ServiceProfile snapshot = profiles.snapshot("fraud", 2);
    FeatureProfile amount = snapshot.feature("v__amount").orElseThrow();
    assertThat(amount.count()).isEqualTo(2);
    assertThat(amount.nulls()).isEqualTo(1);
    assertThat(amount.type()).isEqualTo("long");
    FeatureProfile merchant = snapshot.feature("v__merchant").orElseThrow();
    assertThat(merchant.count()).isEqualTo(2);
    assertThat(merchant.nulls()).isEqualTo(1);
    FeatureProfile added = snapshot.feature("v__new").orElseThrow();
    assertThat(added.count()).isEqualTo(2);
    assertThat(added.nulls()).isEqualTo(1);
  }

  @Test
  void concurrentRecordsAreAllCounted() throws Exception {
    ServedProfiles profiles = new ServedProfiles();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int thread = 0; thread < 4; thread++) {
        int offset = thread;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 1000; i++) {
            profiles.record("fraud", List.of(vector((double) i, "m" + offset)), i * 1000L);
          }
        }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
    ServiceProfile snapshot = profiles.snapshot("fraud", 1_000_000);
    assertThat(snapshot.rows()).isEqualTo(4000);
    assertThat(snapshot.feature("v__amount").orElseThrow().values()).isEqualTo(4000);
    assertThat(snapshot.feature("v__merchant").orElseThrow().categories())
        .containsOnly(Map.entry("m0", 1000L), Map.entry("m1", 1000L), Map.entry("m2", 1000L), Map.entry("m3", 1000L));
  }

  @Test
  void theWindowMustSplitIntoWholeBuckets() {
    assertThatThrownBy(() -> new ServedProfiles(Duration.ofMillis(10), 3, 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot profile served features over PT0.01S in 3 buckets");
  }

  private static FeatureVector vector(Object amount, String merchant) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("v__amount", amount);
    values.put("v__merchant", merchant);
    Map<String, FeatureStatus> statuses = new LinkedHashMap<>();
    statuses.put("v__amount", amount == null ? FeatureStatus.NO_DATA : FeatureStatus.PRESENT);
    statuses.put("v__merchant", FeatureStatus.PRESENT);
    return new FeatureVector(Map.of("card_id", "c1"), Instant.EPOCH, values, statuses);
  }
}
