package dev.lockstep.definition;

import java.math.BigDecimal;
import java.util.function.Consumer;

/** The syntax tree of a {@link RowFilter}: comparisons and null tests joined by and / or. */
sealed interface FilterExpression {

  /** Calls {@code action} with every column name, left to right. */
  void columns(Consumer<String> action);

  /** A comparison operator; {@link #holds} tells whether it accepts a comparison's sign. */
  enum Operator {
    EQUAL("="), NOT_EQUAL("!="), LESS("<"), LESS_OR_EQUAL("<="), GREATER(">"),
    GREATER_OR_EQUAL(">=");

    final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }

    /** Whether {@code value op literal} holds when {@code value} compares to it as {@code sign}. */
    boolean holds(int sign) {
      return switch (this) {
        case EQUAL -> sign == 0;
        case NOT_EQUAL -> sign != 0;
        case LESS -> sign < 0;
        case LESS_OR_EQUAL -> sign <= 0;
        case GREATER -> sign > 0;
        case GREATER_OR_EQUAL -> sign >= 0;
      };
    }
  }

  /** A literal: a decimal number or a string. */
  sealed interface Literal {}

  /** A number as written, kept exact. */
  record NumberLiteral(BigDecimal value, String text) implements Literal {}

  /** A string, quotes removed and {@code ''} unescaped. */
  record StringLiteral(String value) implements Literal {}

  /** {@code column op literal}. */
  record Comparison(String column, Operator operator, Literal literal) implements FilterExpression {
    @Override
    public void columns(Consumer<String> action) {
      action.accept(column);
    }
  }

  /** {@code column is null}, or {@code column is not null} when {@code negated}. */
  record NullTest(String column, boolean negated) implements FilterExpression {
    @Override
    public void columns(Consumer<String> action) {
      action.accept(column);
    }
  }

  /** Both sides hold. */
  record And(FilterExpression left, FilterExpression right) implements FilterExpression {
    @Override
    public void columns(Consumer<String> action) {
      left.columns(action);
      right.columns(action);
    }
  }

  /** Either side holds. */
  record Or(FilterExpression left, FilterExpression right) implements FilterExpression {
    @Override
    public void columns(Consumer<String> action) {
      left.columns(action);
      right.columns(action);
    }
  }
}
