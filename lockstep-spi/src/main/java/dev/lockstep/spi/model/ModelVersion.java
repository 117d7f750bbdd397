package dev.lockstep.spi.model;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One registered, immutable version of a trained model, with where its artifact is and its lineage.
 *
 * @param name the model's name, e.g. {@code "fraud-scorer"}; not blank
 * @param version from 1; a model's versions need not be consecutive
 * @param uri where the artifact is, e.g. {@code s3://models/fraud/7} or a file URI
 * @param metadata free-form lineage and facts, e.g. the training-set manifest and feature service
 *     version it was trained on; copied
 * @param created when the version was registered
 */
public record ModelVersion(
    String name, long version, URI uri, Map<String, String> metadata, Instant created) {

  /**
   * @throws IllegalArgumentException if {@code name} is blank or {@code version < 1}
   * @throws NullPointerException if an argument, or a metadata key or value, is null
   */
  public ModelVersion {
    if (name.isBlank() || version < 1) {
      throw new IllegalArgumentException(
          "Cannot build model version '"
              + name
              + "' "
              + version
              + ": the name must not be blank and versions start at 1");
    }
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(created, "created");
    metadata = Map.copyOf(metadata);
  }
}
