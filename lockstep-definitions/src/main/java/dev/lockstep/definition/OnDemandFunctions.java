package dev.lockstep.definition;

import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.definition.OnDemandFeatureView;
import dev.lockstep.api.definition.OnDemandFunction;
import dev.lockstep.api.definition.SourceColumn;

/** Loading on-demand functions and typing their outputs, the same for training sets and serving. */
public final class OnDemandFunctions {
  private OnDemandFunctions() {}

  /**
   * A new instance of {@code view}'s class from {@code loader}.
   *
   * @throws InvalidDefinitionException if the class cannot be loaded or is no OnDemandFunction
   */
  public static OnDemandFunction instantiate(OnDemandFeatureView view, ClassLoader loader) {
    try {
      Class<?> type = Class.forName(view.className(), true, loader);
      if (!OnDemandFunction.class.isAssignableFrom(type)) {
        throw new InvalidDefinitionException(
            "Cannot load on-demand view '"
                + view.name()
                + "': "
                + view.className()
                + " does not implement "
                + OnDemandFunction.class.getName());
      }
      return (OnDemandFunction) type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new InvalidDefinitionException(
          "Cannot load on-demand view '"
              + view.name()
              + "': class "
              + view.className()
              + " cannot be instantiated ("
              + e
              + "; put its jar in the repository's lib/ directory)");
    }
  }


  /**
   * Checks and converts one output value of {@code view}'s function to its declared type.
   *
   * @throws IllegalStateException if the function returned another type
   */
  public static Object typed(OnDemandFeatureView view, SourceColumn output, Object value) {
    if (value == null) {
      return null;
    }
    Object converted =
        switch (output.type()) {
          case LONG -> value instanceof Long || value instanceof Integer ? ((Number) value).longValue() : null;
          case DOUBLE -> value instanceof Number number ? number.doubleValue() : null;
          case STRING -> value instanceof String ? value : null;
        };
    if (converted == null) {
      throw new IllegalStateException(
          "Cannot use on-demand view '"
              + view.name()
              + "': "
              + view.className()
              + " returned a "
              + value.getClass().getSimpleName()
              + " for output '"
              + output.name()
              + "', declared "
              + output.type().yamlName());
    }
    return converted;
  }
}
