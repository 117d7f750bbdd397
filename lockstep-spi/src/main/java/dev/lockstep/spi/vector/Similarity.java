package dev.lockstep.spi.vector;

/** How a vector index compares vectors. For each, a higher score means more similar. */
public enum Similarity {
  /** Cosine of the angle between the vectors, in [-1, 1]. Zero vectors are rejected. */
  COSINE,
  /** Dot product; meaningful for vectors normalized to unit length. */
  DOT_PRODUCT,
  /** Negated Euclidean distance, so that higher is closer. */
  EUCLIDEAN
}
