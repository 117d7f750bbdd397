package dev.lockstep.definition;

import dev.lockstep.api.LockstepException;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.client.InvalidRequestException;
import dev.lockstep.api.definition.FeatureReference;
import dev.lockstep.api.definition.OnDemandFeatureView;
import dev.lockstep.api.definition.OnDemandFunction;
import dev.lockstep.api.definition.SourceColumn;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs on-demand views: the one evaluator training sets and serving share, so that a function sees
 * the same inputs and its outputs get the same values in both (docs/architecture.md, "On-demand
 * views").
 *
 * <p><b>Inputs.</b> A function sees exactly its declared inputs, by column name ({@code
 * view__feature}), and its declared request fields, by name; nothing else, in particular not the
 * outputs of other on-demand views, whatever order they run in.
 *
 * <p><b>Request fields</b> arrive as JSON values when served and as spine cells in training sets
 * (text for CSV spines, typed for Parquet ones); {@link #requestValue} converts both by one rule: a
 * {@code long} field takes an integer, or a number or text that is exactly one; a {@code double}
 * field any number, or text that is a decimal number; a {@code string} field only a string. Null is
 * null. Anything else is an {@link InvalidRequestException}, never a silent null.
 *
 * <p><b>Failures.</b> A function that throws, or returns a value of another type than the output
 * declares, fails the vector (a 500 when served, a failed training set) with a {@link
 * LockstepException} naming the view: a served vector and its rebuilt row never differ by an error
 * turned into a value on one side.
 *
 * <p>Thread-safe: immutable, and on-demand functions are thread-safe by their contract.
 */
public final class OnDemandEvaluator {
  /** A plain decimal number: what text in a numeric request field may hold (compiled once, read per row). */
  private static final java.util.regex.Pattern DECIMAL =
      java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private final List<OnDemandFeatureView> views;
  private final List<OnDemandFunction> functions;
  private final List<String> requestFields;

  private OnDemandEvaluator(List<OnDemandFeatureView> views, List<OnDemandFunction> functions) {
    this.views = List.copyOf(views);
    this.functions = List.copyOf(functions);
    Set<String> fields = new LinkedHashSet<>();
    views.forEach(view -> view.requestFields().forEach(field -> fields.add(field.name())));
    this.requestFields = List.copyOf(fields);
  }

  /**
   * Loads the functions of {@code views} from {@code loader}.
   *
   * @throws dev.lockstep.api.InvalidDefinitionException if a class cannot be loaded
   */
  public static OnDemandEvaluator of(List<OnDemandFeatureView> views, ClassLoader loader) {
    List<OnDemandFunction> functions = new ArrayList<>(views.size());
    for (OnDemandFeatureView view : views) {
      functions.add(OnDemandFunctions.instantiate(view, loader));
    }
    return new OnDemandEvaluator(views, functions);
  }

  /** The views, in the order they run. */
  public List<OnDemandFeatureView> views() {
    return views;
  }

  /** The names of the request fields any view reads, without repeats. */
  public List<String> requestFields() {
    return requestFields;
  }

  public boolean isEmpty() {
    return views.isEmpty();
  }

  /**
   * Runs every view.
   *
   * @param features the computed features by column name; it must hold every view's inputs
   * @param request the request fields by name, unconverted (a missing one reads as null)
   * @return every view's outputs by column name ({@code view__output}), in view and output order
   * @throws InvalidRequestException if a request field has a value its type cannot take
   * @throws LockstepException if a function throws or returns a value of another type
   */
  public Map<String, Object> evaluate(Map<String, Object> features, Map<String, ?> request) {
    Map<String, Object> outputs = new LinkedHashMap<>();
    for (int v = 0; v < views.size(); v++) {
      OnDemandFeatureView view = views.get(v);
      Map<String, Object> input = new HashMap<>();
      for (FeatureReference reference : view.inputs()) {
        input.put(reference.columnName(), features.get(reference.columnName()));
      }
      for (SourceColumn field : view.requestFields()) {
        input.put(field.name(), requestValue(view, field, request.get(field.name())));
      }
      Map<String, Object> result;
      try {
        result = functions.get(v).compute(java.util.Collections.unmodifiableMap(input));
      } catch (RuntimeException | LinkageError | StackOverflowError e) {
        throw new LockstepException("Cannot compute on-demand view '" + view.name() + "': " + view.className()
            + " threw " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
            + " (fix the function; a view that may fail should return null outputs)", e);
      }
      for (SourceColumn output : view.outputs()) {
        Object value = result == null ? null : result.get(output.name());
        try {
          outputs.put(view.name() + "__" + output.name(), OnDemandFunctions.typed(view, output, value));
        } catch (IllegalStateException e) {
          throw new LockstepException(e.getMessage() + " (return the declared type)", e);
        }
      }
    }
    return outputs;
  }

  /**
   * Converts the raw value of request field {@code field} of {@code view} to the field's type, by
   * the rule of this class.
   *
   * @throws InvalidRequestException if the value is of a kind the type does not take
   */
  public static Object requestValue(OnDemandFeatureView view, SourceColumn field, Object value) {
    if (value == null) {
      return null;
    }
    Object converted = switch (field.type()) {
      case STRING -> value instanceof String ? value : null;
      case LONG -> toLong(value);
      case DOUBLE -> toDouble(value);
    };
    if (converted == null) {
      String shown = value instanceof String ? "'" + abbreviate((String) value) + "'" : abbreviate(value.toString());
      throw new InvalidRequestException("Cannot compute on-demand view '" + view.name() + "': request field '"
          + field.name() + "' is " + shown + ", not a " + field.type().yamlName() + " (send "
          + (field.type() == ValueType.STRING ? "a string" : "a number") + ")");
    }
    return converted;
  }

  private static Long toLong(Object value) {
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    BigDecimal exact = decimal(value);
    if (exact == null) {
      return null;
    }
    try {
      return exact.longValueExact();
    } catch (ArithmeticException e) {
      return null; // a fraction, or outside the range of a long
    }
  }

  private static Double toDouble(Object value) {
    if (value instanceof Number number && !(value instanceof BigDecimal) && !(value instanceof BigInteger)) {
      return number.doubleValue();
    }
    BigDecimal exact = decimal(value);
    if (exact == null) {
      return null;
    }
    double converted = exact.doubleValue();
    return Double.isInfinite(converted) ? null : converted;
  }

  /** A number, or text that is a plain decimal number (no hex, no type suffix, no NaN), exactly. */
  private static BigDecimal decimal(Object value) {
    if (value instanceof BigDecimal decimal) {
      return decimal;
    }
    if (value instanceof BigInteger integer) {
      return new BigDecimal(integer);
    }
    if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      return Double.isFinite(number) ? new BigDecimal(number) : null;
    }
    if (value instanceof String text) {
      String trimmed = text.strip();
      if (trimmed.isEmpty() || trimmed.length() > 400 || !DECIMAL.matcher(trimmed).matches()) {
        return null;
      }
      try {
        return new BigDecimal(trimmed);
      } catch (NumberFormatException | ArithmeticException e) {
        return null;
      }
    }
    return null;
  }

  private static String abbreviate(String text) {
    String line = text.replace('\n', ' ').replace('\r', ' ');
    return line.length() <= 100 ? line : line.substring(0, 100) + "...";
  }
}
