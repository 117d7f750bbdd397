package dev.lockstep.spi.vector;

import dev.lockstep.spi.EntityKey;
import java.util.Objects;

/**
 * One search result: an indexed entity and its score against the query under the index's {@link
 * Similarity}; higher is more similar.
 *
 * @param id the entity whose vector matched
 * @param score its similarity to the query
 */
public record ScoredId(EntityKey id, float score) {

  /**
   * @throws NullPointerException if {@code id} is null
   */
  public ScoredId {
    Objects.requireNonNull(id, "id");
  }
}
