package dev.lockstep.registry;

import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.OnDemandFeatureView;
import dev.lockstep.api.definition.OnDemandFunction;
import dev.lockstep.definition.RepositoryLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/** The fraud example repository of {@code examples/fraud}, read through the YAML loader. */
public final class Examples {
  /** The on-demand class the example names, which lives in the CLI module. */
  static final String SPEND_RATIO = "dev.lockstep.cli.examples.SpendRatio";

  private Examples() {}

  /**
   * The example, loaded from a copy whose on-demand class is {@link Ratio} (the CLI's class is not
   * on this module's class path), with the example's class name put back.
   */
  static FeatureRepository fraud(Path scratch) {
    try (Stream<Path> files = Files.list(Path.of("../examples/fraud"))) {
      for (Path file : files.filter(path -> path.toString().endsWith(".yaml")).toList()) {
        Files.writeString(scratch.resolve(file.getFileName()),
            Files.readString(file).replace(SPEND_RATIO, Ratio.class.getName()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    FeatureRepository loaded = RepositoryLoader.load(scratch).repository();
    return new FeatureRepository(loaded.entities(), loaded.sources(), loaded.featureViews(),
        loaded.onDemandViews().stream().map(view -> new OnDemandFeatureView(view.name(),
            SPEND_RATIO, view.inputs(), view.requestFields(), view.outputs())).toList(),
        loaded.featureServices());
  }

  /** Stands in for the example's spending ratio. */
  public static final class Ratio implements OnDemandFunction {
    @Override
    public Map<String, Object> compute(Map<String, Object> values) {
      return Map.of();
    }
  }
}
