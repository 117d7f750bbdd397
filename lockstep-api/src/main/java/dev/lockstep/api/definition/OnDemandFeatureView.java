package dev.lockstep.api.definition;

import dev.lockstep.api.InvalidDefinitionException;
import java.util.List;

/**
 * Request-time features: a Java {@link OnDemandFunction} of fetched features and request fields,
 * run in the same process for training sets (request fields come from spine columns) and for
 * serving. Its outputs are referenced as {@code view:output}.
 *
 * @param name unique among feature views and on-demand views
 * @param className the implementing class, with a public no-argument constructor
 * @param inputs the features it reads, passed by their column names ({@code view__feature})
 * @param requestFields the request fields it reads, passed by name
 * @param outputs the features it returns, by name
 */
public record OnDemandFeatureView(
    String name,
    String className,
    List<FeatureReference> inputs,
    List<SourceColumn> requestFields,
    List<SourceColumn> outputs) {

  /** @throws InvalidDefinitionException if a name is malformed or there is no output */
  public OnDemandFeatureView {
    Names.identifier("on-demand view", name);
    if (className == null || className.isBlank()) {
      throw new InvalidDefinitionException(
          "Cannot define on-demand view '" + name + "': it names no class (add class: com.example.MyFeatures)");
    }
    inputs = Names.list(inputs);
    requestFields = Names.list(requestFields);
    outputs = Names.list(outputs);
    if (outputs.isEmpty()) {
      throw new InvalidDefinitionException(
          "Cannot define on-demand view '" + name + "': it declares no outputs");
    }
    outputs.forEach(output -> Names.identifier("output of on-demand view " + name, output.name()));
  }
}
