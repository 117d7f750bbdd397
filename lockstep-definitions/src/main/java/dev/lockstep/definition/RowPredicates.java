package dev.lockstep.definition;

import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.ValueType;
import dev.lockstep.definition.FilterExpression.And;
import dev.lockstep.definition.FilterExpression.Comparison;
import dev.lockstep.definition.FilterExpression.NullTest;
import dev.lockstep.definition.FilterExpression.NumberLiteral;
import dev.lockstep.definition.FilterExpression.Operator;
import dev.lockstep.definition.FilterExpression.Or;
import dev.lockstep.definition.FilterExpression.StringLiteral;
import dev.lockstep.spi.offline.Column;
import dev.lockstep.spi.offline.RowBatch;
import dev.lockstep.spi.offline.Schema;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.stream.Collectors;

/**
 * Binds a filter's syntax tree to a schema, giving one predicate object per node specialised by
 * column type.
 *
 * <p>Long columns compare exactly with any decimal literal: an integral literal in range compares
 * as a long; otherwise the literal lies strictly between two longs (or beyond the range) and the
 * comparison's sign depends only on whether the value is at most the literal's floor.
 */
final class RowPredicates {
  private RowPredicates() {}

  /** A bound node. */
  interface RowPredicate {
    boolean test(RowBatch batch, int row);

    boolean test(Object[] values);
  }

  static RowPredicate bind(String text, FilterExpression expression, Schema schema) {
    if (expression instanceof And and) {
      RowPredicate left = bind(text, and.left(), schema);
      RowPredicate right = bind(text, and.right(), schema);
      return new RowPredicate() {
        @Override
        public boolean test(RowBatch batch, int row) {
          return left.test(batch, row) && right.test(batch, row);
        }

        @Override
        public boolean test(Object[] values) {
          return left.test(values) && right.test(values);
        }
      };
    }
    if (expression instanceof Or or) {
      RowPredicate left = bind(text, or.left(), schema);
      RowPredicate right = bind(text, or.right(), schema);
      return new RowPredicate() {
        @Override
        public boolean test(RowBatch batch, int row) {
          return left.test(batch, row) || right.test(batch, row);
        }

        @Override
        public boolean test(Object[] values) {
          return left.test(values) || right.test(values);
        }
      };
    }
    if (expression instanceof NullTest test) {
      int position = position(text, test.column(), schema);
      boolean negated = test.negated();
      return new RowPredicate() {
        @Override
        public boolean test(RowBatch batch, int row) {
          return batch.isNull(position, row) != negated;
        }

        @Override
        public boolean test(Object[] values) {
          return (values[position] == null) != negated;
        }
      };
    }
    return comparison(text, (Comparison) expression, schema);
  }

  private static RowPredicate comparison(String text, Comparison comparison, Schema schema) {
    int position = position(text, comparison.column(), schema);
    ValueType type = schema.columns().get(position).type();
    Operator operator = comparison.operator();
    if (comparison.literal() instanceof StringLiteral string) {
      if (type != ValueType.STRING) {
        throw error(text, "column '" + comparison.column() + "' is " + type.yamlName() + " and '"
            + string.value() + "' is a string (compare it with a number, e.g. "
            + comparison.column() + " " + operator.symbol + " 0)");
      }
      return new StringComparison(position, operator, string.value());
    }
    NumberLiteral number = (NumberLiteral) comparison.literal();
    return switch (type) {
      case STRING -> throw error(text, "column '" + comparison.column() + "' is string and "
          + number.text() + " is a number (quote it: '" + number.text() + "')");
      case DOUBLE -> new DoubleComparison(position, operator, number.value().doubleValue());
      case LONG -> longComparison(position, operator, number.value());
    };
  }

  private static RowPredicate longComparison(int position, Operator operator, BigDecimal literal) {
    if (literal.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) {
      return new LongComparison(position, operator, Long.MIN_VALUE, false, true);
    }
    BigDecimal floor = literal.setScale(0, RoundingMode.FLOOR);
    if (floor.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      return new LongComparison(position, operator, Long.MAX_VALUE, false, false);
    }
    boolean exact = floor.compareTo(literal) == 0;
    return new LongComparison(position, operator, floor.longValueExact(), exact, false);
  }

  private static int position(String text, String column, Schema schema) {
    if (schema.findColumn(column).isPresent()) {
      return schema.position(column);
    }
    var names = schema.columns().stream().map(Column::name).toList();
    String hint = Suggestions.closest(column, names)
        .map(match -> "did you mean '" + match + "'?")
        .orElse("the columns are " + names.stream().collect(Collectors.joining(", ")));
    throw error(text, "unknown column '" + column + "' (" + hint + ")");
  }

  private static InvalidDefinitionException error(String text, String problem) {
    return new InvalidDefinitionException("Cannot bind filter '" + text + "': " + problem);
  }

  /**
   * {@code value op literal} on a long column. If {@code exact}, the literal is {@code bound};
   * otherwise it lies strictly above {@code bound} and below {@code bound + 1} (or above every
   * long), or, if {@code belowAll}, below every long.
   */
  private record LongComparison(
      int position, Operator operator, long bound, boolean exact, boolean belowAll)
      implements RowPredicate {
    @Override
    public boolean test(RowBatch batch, int row) {
      return !batch.isNull(position, row) && holds(batch.longs(position)[row]);
    }

    @Override
    public boolean test(Object[] values) {
      Object value = values[position];
      return value != null && holds((Long) value);
    }

    private boolean holds(long value) {
      if (exact) {
        return operator.holds(Long.compare(value, bound));
      }
      return operator.holds(belowAll || value > bound ? 1 : -1);
    }
  }

  /** {@code value op literal} on a double column, with IEEE 754 comparisons. */
  private record DoubleComparison(int position, Operator operator, double literal)
      implements RowPredicate {
    @Override
    public boolean test(RowBatch batch, int row) {
      return !batch.isNull(position, row) && holds(batch.doubles(position)[row]);
    }

    @Override
    public boolean test(Object[] values) {
      Object value = values[position];
      return value != null && holds((Double) value);
    }

    private boolean holds(double value) {
      return switch (operator) {
        case EQUAL -> value == literal;
        case NOT_EQUAL -> value != literal;
        case LESS -> value < literal;
        case LESS_OR_EQUAL -> value <= literal;
        case GREATER -> value > literal;
        case GREATER_OR_EQUAL -> value >= literal;
      };
    }
  }

  /** {@code value op literal} on a string column, by code point. */
  private record StringComparison(int position, Operator operator, String literal)
      implements RowPredicate {
    @Override
    public boolean test(RowBatch batch, int row) {
      return !batch.isNull(position, row) && holds(batch.strings(position)[row]);
    }

    @Override
    public boolean test(Object[] values) {
      Object value = values[position];
      return value != null && holds((String) value);
    }

    private boolean holds(String value) {
      return operator.holds(compareCodePoints(value, literal));
    }
  }

  /**
   * Compares by Unicode code point. UTF-16 order agrees with it except where a surrogate (part of a
   * character above U+FFFF) meets a character in U+E000..U+FFFF, which it must sort before.
   */
  static int compareCodePoints(String a, String b) {
    int length = Math.min(a.length(), b.length());
    for (int i = 0; i < length; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        boolean xSurrogate = Character.isSurrogate(x);
        if (xSurrogate != Character.isSurrogate(y)) {
          return xSurrogate ? 1 : -1;
        }
        return x - y;
      }
    }
    return a.length() - b.length();
  }
}
