package dev.lockstep.definition;

import dev.lockstep.api.definition.FeatureRepository;
import java.nio.file.Path;
import java.util.List;

/**
 * A feature repository read from a directory of YAML files and checked, with where each definition
 * and field was written. Immutable.
 */
public final class LoadedRepository {
  private final Path directory;
  private final List<Path> files;
  private final FeatureRepository repository;
  private final Locator locator;

  LoadedRepository(Path directory, List<Path> files, FeatureRepository repository,
      Locator locator) {
    this.directory = directory;
    this.files = List.copyOf(files);
    this.repository = repository;
    this.locator = locator;
  }

  /** The repository directory, as given to {@link RepositoryLoader#load}. */
  public Path directory() {
    return directory;
  }

  /** The definition files read, in the order they were read. */
  public List<Path> files() {
    return files;
  }

  /** The definitions. */
  public FeatureRepository repository() {
    return repository;
  }

  /**
   * Where {@code definition} was written: an {@code Entity}, {@code Source}, {@code FeatureView},
   * {@code FeatureDefinition}, {@code OnDemandFeatureView} or {@code FeatureService} object of
   * {@link #repository()} (found by identity). {@link Location#JAVA} for any other object.
   */
  public Location location(Object definition) {
    return locator.of(definition, null);
  }

  /**
   * Where a field of {@code definition} was written, or the definition's location if the field was
   * not written (a default). Fields are the YAML keys ({@code window}, {@code hop}, {@code
   * source}, {@code filter}, {@code class}; {@code column} also for a latest feature's {@code
   * latest}), a list item as {@code features[2]} or {@code inputs[0]}, and a mapping entry as
   * {@code columns.amount}, {@code request.amount} or {@code outputs.ratio}.
   */
  public Location location(Object definition, String field) {
    return locator.of(definition, field);
  }
}
