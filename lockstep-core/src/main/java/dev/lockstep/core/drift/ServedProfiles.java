package dev.lockstep.core.drift;

import dev.lockstep.api.client.FeatureVector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Profiles of the feature vectors each service served, over a rolling window; thread-safe.
 *
 * <p>Time is cut into buckets of {@code window / buckets} milliseconds, counted from the epoch;
 * {@link #record} adds vectors to the bucket holding {@code nowMillis}. {@link #snapshot} at {@code
 * now} merges the {@code buckets} buckets ending with the one holding {@code now}: between {@code
 * window - window / buckets} and {@code window} of history. Older buckets expire and are dropped.
 * Memory per service is bounded by {@code buckets} times, per feature, one KLL sketch (a few KB) or
 * at most {@code trackedCategories} counters; no raw values are kept.
 */
public final class ServedProfiles {
  /** The default window: one hour. */
  public static final Duration WINDOW_DEFAULT = Duration.ofHours(1);
  /** The default number of buckets in a window: 12 (5 minutes each in an hour). */
  public static final int BUCKETS_DEFAULT = 12;
  /** The default number of distinct strings counted per feature and bucket. */
  public static final int TRACKED_CATEGORIES_DEFAULT = 1_000;

  private final long bucketMillis;
  private final int buckets;
  private final int trackedCategories;
  private final ConcurrentHashMap<String, ServiceWindow> services = new ConcurrentHashMap<>();

  /** Profiles over the last hour, in 12 buckets of 5 minutes. */
  public ServedProfiles() {
    this(WINDOW_DEFAULT, BUCKETS_DEFAULT, TRACKED_CATEGORIES_DEFAULT);
  }

  /**
   * Profiles over {@code window}, kept as {@code buckets} buckets that expire one by one.
   *
   * @param trackedCategories distinct strings counted per feature and bucket (at least {@value
   *     ValueProfiler#STORED_CATEGORIES}); see {@link ValueProfiler}
   * @throws IllegalArgumentException unless {@code window} is a positive whole number of
   *     milliseconds that {@code buckets} (positive) divides
   */
  public ServedProfiles(Duration window, int buckets, int trackedCategories) {
    if (buckets <= 0 || window.toMillis() <= 0 || window.toMillis() % buckets != 0) {
      throw new IllegalArgumentException(
          "Cannot profile served features over " + window + " in " + buckets
              + " buckets (the window must be a positive number of milliseconds the bucket count divides)");
    }
    if (trackedCategories < ValueProfiler.STORED_CATEGORIES) {
      throw new IllegalArgumentException(
          "Cannot profile served features: tracked categories " + trackedCategories + " is below "
              + ValueProfiler.STORED_CATEGORIES);
    }
    this.bucketMillis = window.toMillis() / buckets;
    this.buckets = buckets;
    this.trackedCategories = trackedCategories;
  }

  /**
   * Adds {@code vectors}, served by {@code service} at {@code nowMillis}, to the profile. Vectors
   * stamped before the window that ends at the newest bucket recorded are dropped.
   *
   * @throws IllegalArgumentException if a feature's value is not a Long, Double, String, List or
   *     null, or is a number where the feature had strings (or the reverse)
   */
  public void record(String service, List<FeatureVector> vectors, long nowMillis) {
    if (vectors.isEmpty()) {
      return;
    }
    ServiceWindow window = services.computeIfAbsent(service, name -> new ServiceWindow());
    long index = Math.floorDiv(nowMillis, bucketMillis);
    synchronized (window) {
      ServiceProfiler bucket = window.bucket(index);
      if (bucket != null) {
        for (FeatureVector vector : vectors) {
          bucket.add(vector.values());
        }
      }
    }
  }

  /**
   * The profile of what {@code service} served in the window ending at {@code nowMillis}: its
   * {@code from} is the start of the oldest bucket, its {@code to} is {@code nowMillis}. A service
   * that served nothing has a profile of no rows and no features.
   */
  public ServiceProfile snapshot(String service, long nowMillis) {
    long index = Math.floorDiv(nowMillis, bucketMillis);
    long oldest = index - buckets + 1;
    ServiceProfiler merged = ServiceProfiler.inferred(trackedCategories);
    ServiceWindow window = services.get(service);
    if (window != null) {
      synchronized (window) {
        window.expire(index);
        for (Bucket bucket : window.buckets) {
          if (bucket.index >= oldest && bucket.index <= index) {
            merged.merge(bucket.profiler);
          }
        }
      }
    }
    return merged.finish(
        service, Instant.ofEpochMilli(oldest * bucketMillis).toString(), Instant.ofEpochMilli(nowMillis).toString());
  }

  /** The services that recorded vectors. */
  public Set<String> services() {
    return Set.copyOf(services.keySet());
  }

  /** The window's length in milliseconds. */
  public long windowMillis() {
    return bucketMillis * buckets;
  }

  private record Bucket(long index, ServiceProfiler profiler) {}

  /** One service's buckets, oldest first; guarded by its own monitor. */
  private final class ServiceWindow {
    private final ArrayDeque<Bucket> buckets = new ArrayDeque<>();

    /** Drops the buckets that no window ending at bucket {@code index} or later covers. */
    void expire(long index) {
      while (!buckets.isEmpty() && buckets.peekFirst().index <= index - ServedProfiles.this.buckets) {
        buckets.removeFirst();
      }
    }

    /** The bucket of {@code index}, created if live; null if it has expired. */
    ServiceProfiler bucket(long index) {
      Bucket last = buckets.peekLast();
      if (last == null || last.index < index) {
        expire(index);
        Bucket bucket = new Bucket(index, ServiceProfiler.inferred(trackedCategories));
        buckets.addLast(bucket);
        return bucket.profiler;
      }
      if (index <= last.index - ServedProfiles.this.buckets) {
        return null;
      }
      // a late record: find or insert its bucket in order
      for (Iterator<Bucket> it = buckets.descendingIterator(); it.hasNext(); ) {
        Bucket bucket = it.next();
        if (bucket.index == index) {
          return bucket.profiler;
        }
      }
      Bucket bucket = new Bucket(index, ServiceProfiler.inferred(trackedCategories));
      ArrayDeque<Bucket> ordered = new ArrayDeque<>(buckets.size() + 1);
      boolean added = false;
      for (Bucket existing : buckets) {
        if (!added && existing.index > index) {
          ordered.addLast(bucket);
          added = true;
        }
        ordered.addLast(existing);
      }
      buckets.clear();
      buckets.addAll(ordered);
      return bucket.profiler;
    }
  }
}
