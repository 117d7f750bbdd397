package dev.lockstep.definition;

import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.definition.FeatureDefinition;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.LatestFeature;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceColumn;
import dev.lockstep.api.definition.WindowedFeature;
import dev.lockstep.engine.aggregate.Aggregators;
import dev.lockstep.spi.offline.Column;
import dev.lockstep.spi.offline.Schema;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Binds a feature view to its source: the source exists, the filter parses and binds to the
 * source's columns, and each feature's column exists with a type its aggregation accepts (as the
 * engine's {@link Aggregators#acceptedTypes} says).
 */
final class ViewChecks {
  private ViewChecks() {}

  static void check(CheckContext context, FeatureView view) {
    Optional<Source> source = context.repository().source(view.source());
    if (source.isEmpty()) {
      if (!context.isBroken("source", view.source())) {
        List<String> names = context.repository().sources().stream().map(Source::name).toList();
        context.report(view, "source", "Cannot define feature view '" + view.name()
            + "': source '" + view.source() + "' is not defined" + Suggestions
                .closest(view.source(), names)
                .map(match -> " (did you mean '" + match + "'?)")
                .orElse(" (define it under sources)"));
      }
      return;
    }
    Schema schema = schema(source.get());
    view.filter().ifPresent(filter -> {
      try {
        RowFilter.parse(filter).bind(schema);
      } catch (InvalidDefinitionException e) {
        context.report(view, "filter", e.getMessage());
      }
    });
    for (FeatureDefinition feature : view.features()) {
      if (feature instanceof WindowedFeature windowed) {
        AggregationFunction function = windowed.aggregation().function();
        if (function.needsColumn()) {
          column(context, view, feature, source.get(), windowed.aggregation().column())
              .ifPresent(type -> checkType(context, view, feature, function, type));
        }
      } else {
        column(context, view, feature, source.get(), ((LatestFeature) feature).column());
      }
    }
  }

  /** The payload columns of {@code source} as the offline table's schema holds them. */
  static Schema schema(Source source) {
    return Schema.of(source.columns().stream()
        .map(column -> Column.nullable(column.name(), column.type()))
        .toList());
  }

  private static Optional<ValueType> column(CheckContext context, FeatureView view,
      FeatureDefinition feature, Source source, String column) {
    Optional<SourceColumn> found = source.column(column);
    if (found.isPresent()) {
      return Optional.of(found.get().type());
    }
    List<String> names = source.columns().stream().map(SourceColumn::name).toList();
    String hint;
    if (column.equals(source.eventTimeColumn())
        || source.ingestTimeColumn().map(column::equals).orElse(false)) {
      hint = "'" + column + "' is one of the source's time columns; features read its other"
          + " columns";
    } else {
      hint = Suggestions.closest(column, names).map(match -> "did you mean '" + match + "'?")
          .orElse("its columns are " + String.join(", ", names));
    }
    context.report(feature, "column", "Cannot define feature " + name(view, feature)
        + ": source '" + source.name() + "' has no column '" + column + "' (" + hint + ")");
    return Optional.empty();
  }

  private static void checkType(CheckContext context, FeatureView view, FeatureDefinition feature,
      AggregationFunction function, ValueType type) {
    Set<ValueType> accepted = Aggregators.acceptedTypes(function);
    if (accepted.contains(type)) {
      return;
    }
    String fitting = Arrays.stream(AggregationFunction.values())
        .filter(other -> other.needsColumn() && Aggregators.acceptedTypes(other).contains(type))
        .map(AggregationFunction::yamlName)
        .collect(Collectors.joining(", "));
    String column = ((WindowedFeature) feature).aggregation().column();
    context.report(feature, "column", "Cannot define feature " + name(view, feature) + ": "
        + function.yamlName() + " needs a " + accepted.stream().map(ValueType::yamlName)
            .collect(Collectors.joining(" or ")) + " column and '" + column + "' is "
        + type.yamlName() + " (on " + type.yamlName() + " columns use " + fitting + ")");
  }

  static String name(FeatureView view, FeatureDefinition feature) {
    return view.name() + ":" + feature.versionedName();
  }
}
