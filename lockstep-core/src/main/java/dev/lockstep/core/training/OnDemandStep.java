package dev.lockstep.core.training;

import dev.lockstep.definition.OnDemandEvaluator;

import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.definition.LatestFeature;
import dev.lockstep.api.definition.OnDemandFeatureView;
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
  private final OnDemandEvaluator evaluator;
  private final String[] requestFields;
  private final int[] requestPositions;

  private OnDemandStep(OnDemandEvaluator evaluator, int[] requestPositions) {
    this.views = evaluator.views();
    this.evaluator = evaluator;
    this.requestFields = evaluator.requestFields().toArray(String[]::new);
    this.requestPositions = requestPositions;
  }

  static OnDemandStep of(TrainingPlan plan, List<String> spineColumns, ClassLoader loader) {
    OnDemandEvaluator evaluator = OnDemandEvaluator.of(plan.onDemandViews(), loader);
    int[] positions = new int[evaluator.requestFields().size()];
    for (int f = 0; f < positions.length; f++) {
      String field = evaluator.requestFields().get(f);
      positions[f] = spineColumns.indexOf(field);
      if (positions[f] < 0) {
        String view = plan.onDemandViews().stream()
            .filter(candidate -> candidate.requestFields().stream().anyMatch(c -> c.name().equals(field)))
            .findFirst().orElseThrow().name();
        throw new InvalidDefinitionException(
            "Cannot build a training set: on-demand view '"
                + view
                + "' needs request field '"
                + field
                + "' and the spine has no such column (add it to the spine)");
      }
    }
    return new OnDemandStep(evaluator, positions);
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
   * Runs every on-demand view for one row, by {@link OnDemandEvaluator}'s rules (the same as
   * serving's), the request fields taken from the spine columns of the same name.
   *
   * @param computed the computed features by column name
   * @return output values by {@code view__output}
   */
  Map<String, Object> compute(Map<String, Object> computed, Object[] spineRow) {
    Map<String, Object> request = new HashMap<>();
    for (int f = 0; f < requestFields.length; f++) {
      request.put(requestFields[f], spineRow[requestPositions[f]]);
    }
    return evaluator.evaluate(computed, request);
  }
}
