package dev.lockstep.core.training;

import dev.lockstep.core.definition.OnDemandFunctions;

import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.definition.LatestFeature;
import dev.lockstep.api.definition.OnDemandFeatureView;
import dev.lockstep.api.definition.OnDemandFunction;
import dev.lockstep.api.definition.SourceColumn;
import dev.lockstep.api.definition.WindowedFeature;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a service's on-demand views on each output row: their functions see the computed features
 * by column name and the request fields, taken from the spine columns of the same name.
 */
final class OnDemandStep {
  private final List<OnDemandFeatureView> views;
  private final List<OnDemandFunction> functions;
  private final int[][] requestPositions;

  private OnDemandStep(
      List<OnDemandFeatureView> views, List<OnDemandFunction> functions, int[][] requestPositions) {
    this.views = views;
    this.functions = functions;
    this.requestPositions = requestPositions;
  }

  static OnDemandStep of(TrainingPlan plan, List<String> spineColumns, ClassLoader loader) {
    List<OnDemandFunction> functions = new ArrayList<>();
    int[][] positions = new int[plan.onDemandViews().size()][];
    for (int v = 0; v < plan.onDemandViews().size(); v++) {
      OnDemandFeatureView view = plan.onDemandViews().get(v);
      functions.add(OnDemandFunctions.instantiate(view, loader));
      positions[v] = new int[view.requestFields().size()];
      for (int f = 0; f < view.requestFields().size(); f++) {
        String field = view.requestFields().get(f).name();
        positions[v][f] = spineColumns.indexOf(field);
        if (positions[v][f] < 0) {
          throw new InvalidDefinitionException(
              "Cannot build a training set: on-demand view '"
                  + view.name()
                  + "' needs request field '"
                  + field
                  + "' and the spine has no such column (add it to the spine)");
        }
      }
    }
    return new OnDemandStep(plan.onDemandViews(), functions, positions);
  }

  /** The output columns of the service, in its order. */
  List<FeatureColumn> outputColumns(TrainingPlan plan) {
    List<FeatureColumn> columns = new ArrayList<>();
    for (TrainingPlan.OutputFeature output : plan.outputs()) {
      if (output.definition() == null) {
        OnDemandFeatureView view =
            views.stream()
                .filter(candidate -> candidate.name().equals(output.reference().view()))
                .findFirst()
                .orElseThrow();
        SourceColumn column =
            view.outputs().stream()
                .filter(candidate -> candidate.name().equals(output.reference().feature()))
                .findFirst()
                .orElseThrow();
        columns.add(new FeatureColumn(output.column(), column.type(), false));
        continue;
      }
      TrainingPlan.EventGroup group = groupOf(plan, output.column());
      if (output.definition() instanceof WindowedFeature windowed) {
        ValueType input =
            windowed.aggregation().column() == null
                ? ValueType.LONG
                : group.source().column(windowed.aggregation().column()).orElseThrow().type();
        columns.add(FeatureColumn.of(output.column(), windowed.aggregation(), input));
      } else if (output.definition() instanceof LatestFeature latest) {
        columns.add(
            new FeatureColumn(
                output.column(), group.source().column(latest.column()).orElseThrow().type(), false));
      }
    }
    return columns;
  }

  private static TrainingPlan.EventGroup groupOf(TrainingPlan plan, String column) {
    return plan.groups().stream()
        .filter(group -> group.featureColumns().contains(column))
        .findFirst()
        .orElseThrow();
  }

  boolean isEmpty() {
    return views.isEmpty();
  }

  /**
   * Runs every on-demand view for one row.
   *
   * @param computed the computed features by column name
   * @return output values by {@code view__output}
   */
  Map<String, Object> compute(Map<String, Object> computed, Object[] spineRow) {
    Map<String, Object> outputs = new HashMap<>();
    for (int v = 0; v < views.size(); v++) {
      OnDemandFeatureView view = views.get(v);
      Map<String, Object> input = new HashMap<>(computed);
      for (int f = 0; f < view.requestFields().size(); f++) {
        SourceColumn field = view.requestFields().get(f);
        input.put(field.name(), convert(spineRow[requestPositions[v][f]], field.type()));
      }
      Map<String, Object> result = functions.get(v).compute(input);
      for (SourceColumn output : view.outputs()) {
        Object value = result == null ? null : result.get(output.name());
        outputs.put(view.name() + "__" + output.name(), OnDemandFunctions.typed(view, output, value));
      }
    }
    return outputs;
  }

  private static Object convert(Object value, ValueType type) {
    if (value == null) {
      return null;
    }
    String text = value.toString().trim();
    try {
      return switch (type) {
        case STRING -> value.toString();
        case LONG -> value instanceof Number number ? (Object) number.longValue() : Long.parseLong(text);
        case DOUBLE ->
            value instanceof Number number ? (Object) number.doubleValue() : Double.parseDouble(text);
      };
    } catch (NumberFormatException e) {
      return null;
    }
  }

}
