package dev.lockstep.spi.vector;

import dev.lockstep.spi.Backend;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.EntityKey;
import java.util.List;

/**
 * A nearest-neighbour index of one fixed-dimension vector per entity, e.g. embeddings for
 * similarity features. Usually approximate (HNSW): a search may miss some true neighbours, but
 * every returned score is exact for its id. Embedded and distributed: HNSW from Lucene or jvector.
 *
 * <p>Once {@link #upsert} or {@link #delete} returns, every later search on any thread sees it;
 * durability is as the backend documents, since the index can be rebuilt from the online or offline
 * store. Vectors are copied in. Instances are thread-safe.
 */
public interface VectorIndex extends Backend {

  /** The number of components of every vector in this index; fixed at creation. */
  int dimension();

  /** How vectors are compared; fixed at creation. */
  Similarity similarity();

  /**
   * Stores {@code vector} for {@code id}, replacing any previous one.
   *
   * @throws IllegalArgumentException if {@code vector.length != dimension()}, a component is not
   *     finite, or it is a zero vector under {@link Similarity#COSINE}
   * @throws BackendException if the index failed
   */
  void upsert(EntityKey id, float[] vector);

  /**
   * Removes the vector of {@code id}, if any; used by governance to forget an entity.
   *
   * @throws BackendException if the index failed
   */
  void delete(EntityKey id);

  /**
   * Up to {@code k} entities most similar to {@code query}, most similar first; fewer if the index
   * holds fewer. Equal scores are ordered by id.
   *
   * @throws IllegalArgumentException if {@code k < 1}, {@code query.length != dimension()} or a
   *     component is not finite
   * @throws BackendException if the index failed
   */
  List<ScoredId> search(float[] query, int k);

  /** The number of entities with a vector. */
  long size();
}
