package dev.lockstep.spi.fake;

import dev.lockstep.spi.BackendConfig;
import dev.lockstep.spi.BackendFactory;
import dev.lockstep.spi.EntityKey;
import dev.lockstep.spi.vector.ScoredId;
import dev.lockstep.spi.vector.Similarity;
import dev.lockstep.spi.vector.VectorIndex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An exact (brute-force) vector index under negated Euclidean distance. */
public class MemoryVectorIndex implements VectorIndex {
  public static final String DIMENSION = "dimension";

  private final int dimension;
  private final Map<EntityKey, float[]> vectors = new ConcurrentHashMap<>();

  MemoryVectorIndex(int dimension) {
    this.dimension = dimension;
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public Similarity similarity() {
    return Similarity.EUCLIDEAN;
  }

  @Override
  public void upsert(EntityKey id, float[] vector) {
    vectors.put(id, vector.clone());
  }

  @Override
  public void delete(EntityKey id) {
    vectors.remove(id);
  }

  @Override
  public List<ScoredId> search(float[] query, int k) {
    List<ScoredId> scored = new ArrayList<>();
    vectors.forEach((id, vector) -> scored.add(new ScoredId(id, -distance(query, vector))));
    scored.sort(Comparator.comparing(ScoredId::score).reversed().thenComparing(ScoredId::id));
    return List.copyOf(scored.subList(0, Math.min(k, scored.size())));
  }

  private static float distance(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return (float) Math.sqrt(sum);
  }

  @Override
  public long size() {
    return vectors.size();
  }

  @Override
  public void close() {}

  /** Registered in META-INF/services; needs {@value #DIMENSION}. */
  public static final class Factory implements BackendFactory<VectorIndex> {
    @Override
    public String name() {
      return "memory";
    }

    @Override
    public Class<VectorIndex> role() {
      return VectorIndex.class;
    }

    @Override
    public VectorIndex create(BackendConfig config) {
      config.required(DIMENSION);
      return new MemoryVectorIndex(config.intValue(DIMENSION, 0));
    }
  }
}
