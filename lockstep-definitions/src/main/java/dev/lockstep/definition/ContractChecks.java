package dev.lockstep.definition;

import dev.lockstep.api.ValueType;
import dev.lockstep.api.definition.DataContract;
import dev.lockstep.api.definition.QualityRule;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceColumn;
import dev.lockstep.definition.QualityValues;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves data contracts against their sources: one contract per source, every rule's columns
 * declared, ranges on numeric columns, patterns on string columns, allowed values of the column's
 * type.
 */
final class ContractChecks {
  private ContractChecks() {}

  static void check(CheckContext context) {
    Set<String> seen = new HashSet<>();
    for (DataContract contract : context.repository().contracts()) {
      if (!seen.add(contract.source())) {
        context.report(contract, "source", "Cannot define contract of source '" + contract.source()
            + "': the source has another contract (merge their rules into one)");
        continue;
      }
      Optional<Source> source = context.repository().source(contract.source());
      if (source.isEmpty()) {
        if (!context.isBroken("source", contract.source())) {
          List<String> names = context.repository().sources().stream().map(Source::name).toList();
          context.report(contract, "source", "Cannot define contract: source '" + contract.source()
              + "' is not defined" + Suggestions.closest(contract.source(), names)
                  .map(match -> " (did you mean '" + match + "'?)").orElse(" (define it under sources)"));
        }
        continue;
      }
      for (int i = 0; i < contract.rules().size(); i++) {
        check(context, contract, "rules[" + i + "]", contract.rules().get(i), source.get());
      }
    }
  }

  private static void check(CheckContext context, DataContract contract, String field, QualityRule rule,
      Source source) {
    String what = "Cannot define rule " + rule.id() + " of the contract of source '" + source.name() + "': ";
    List<String> columns = new ArrayList<>(rule instanceof QualityRule.Unique unique ? unique.columns() : rule.columns());
    for (String column : columns) {
      boolean time = column.equals(source.eventTimeColumn());
      if (source.column(column).isEmpty() && !(time && rule instanceof QualityRule.Unique)) {
        List<String> names = source.columns().stream().map(SourceColumn::name).toList();
        context.report(contract, field, what + "column '" + column + "' is not a column of the source"
            + Suggestions.closest(column, names).map(match -> " (did you mean '" + match + "'?)")
                .orElse(" (columns: " + String.join(", ", names) + ")"));
        return;
      }
    }
    if (rule instanceof QualityRule.Range range) {
      ValueType type = source.column(range.column()).orElseThrow().type();
      if (type != ValueType.LONG && type != ValueType.DOUBLE) {
        context.report(contract, field, what + "column '" + range.column() + "' is a " + type.yamlName()
            + " (a range applies to long and double columns)");
      }
    } else if (rule instanceof QualityRule.Pattern pattern) {
      ValueType type = source.column(pattern.column()).orElseThrow().type();
      if (type != ValueType.STRING) {
        context.report(contract, field, what + "column '" + pattern.column() + "' is a " + type.yamlName()
            + " (a pattern applies to string columns)");
      }
    } else if (rule instanceof QualityRule.AllowedValues allowed) {
      ValueType type = source.column(allowed.column()).orElseThrow().type();
      for (String value : allowed.values()) {
        if (QualityValues.parse(type, value) == null) {
          context.report(contract, field, what + "'" + value + "' is not a " + type.yamlName()
              + " (list values of the column's type)");
          return;
        }
      }
    }
  }
}
