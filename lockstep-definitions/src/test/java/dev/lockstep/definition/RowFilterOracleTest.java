package dev.lockstep.definition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.ValueType;
import dev.lockstep.spi.offline.Column;
import dev.lockstep.spi.offline.RowBatch;
import dev.lockstep.spi.offline.Schema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random filters over random rows, evaluated by the bound filter (on a batch whose schema has the
 * columns in another order and an extra one, and on value arrays) and by a naive evaluation of the
 * test's own expression tree with exact BigDecimal and code point arithmetic.
 */
class RowFilterOracleTest {
  private static final List<Column> COLUMNS = List.of(
      Column.nullable("l", ValueType.LONG), Column.nullable("d", ValueType.DOUBLE),
      Column.nullable("s", ValueType.STRING), Column.nullable("m", ValueType.LONG));
  private static final long[] LONGS =
      {-3, -2, -1, 0, 1, 2, 3, Long.MIN_VALUE, Long.MAX_VALUE, 9007199254740993L};
  private static final double[] DOUBLES = {-0.0, 0.0, 0.5, 0.1, 1, -2.5, Double.NaN,
      Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e300, Double.MIN_VALUE};
  private static final String[] STRINGS =
      {"", "a", "b", "ab", "A", "é", "\uE000", "\uD83D\uDE00", "it's", "zz"};
  private static final String[] NUMBERS = {"0", "-0.0", "1", "-2", "2.5", "-2.5", "0.1", ".5",
      "1e3", "3E-1", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
      "1e19", "-1e400", "1e400", "9007199254740993", "4.9e-324"};
  private static final String[] OPERATORS = {"=", "!=", "<", "<=", ">", ">="};

  /** The test's own tree. */
  private sealed interface Node {}

  private record Compare(int column, String operator, String literal) implements Node {}

  private record IsNull(int column, boolean negated) implements Node {}

  private record Junction(boolean and, Node left, Node right) implements Node {}

  @Test
  void boundFiltersAgreeWithANaiveEvaluation() {
    Random random = new Random(20240501);
    Schema batchSchema = Schema.of(COLUMNS.get(2), Column.nullable("extra", ValueType.LONG),
        COLUMNS.get(0), COLUMNS.get(3), COLUMNS.get(1));
    for (int round = 0; round < 300; round++) {
      List<Object[]> rows = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        rows.add(new Object[] {value(random, 0), value(random, 1), value(random, 2),
            value(random, 3)});
      }
      RowBatch batch = batch(batchSchema, rows);
      for (int f = 0; f < 20; f++) {
        Node tree = node(random, 3);
        String text = render(random, tree, false);
        BoundRowFilter onBatch = RowFilter.parse(text).bind(batchSchema);
        BoundRowFilter onValues = RowFilter.parse(text).bind(Schema.of(COLUMNS));
        for (int row = 0; row < rows.size(); row++) {
          boolean expected = evaluate(tree, rows.get(row));
          assertThat(onBatch.test(batch, row)).as(text + " on " + Arrays.toString(rows.get(row)))
              .isEqualTo(expected);
          assertThat(onValues.test(rows.get(row))).as(text).isEqualTo(expected);
        }
      }
    }
  }

  private static Object value(Random random, int column) {
    if (random.nextInt(5) == 0) {
      return null;
    }
    return switch (COLUMNS.get(column).type()) {
      case LONG -> random.nextBoolean() ? LONGS[random.nextInt(LONGS.length)]
          : (long) random.nextInt(7) - 3;
      case DOUBLE -> random.nextBoolean() ? DOUBLES[random.nextInt(DOUBLES.length)]
          : (random.nextInt(13) - 6) / 2.0;
      case STRING -> STRINGS[random.nextInt(STRINGS.length)];
    };
  }

  private static Node node(Random random, int depth) {
    int choice = random.nextInt(depth == 0 ? 2 : 4);
    int column = random.nextInt(COLUMNS.size());
    if (choice == 0) {
      return new IsNull(column, random.nextBoolean());
    }
    if (choice == 1) {
      String literal = COLUMNS.get(column).type() == ValueType.STRING
          ? "'" + STRINGS[random.nextInt(STRINGS.length)].replace("'", "''") + "'"
          : NUMBERS[random.nextInt(NUMBERS.length)];
      return new Compare(column, OPERATORS[random.nextInt(OPERATORS.length)], literal);
    }
    return new Junction(choice == 2, node(random, depth - 1), node(random, depth - 1));
  }

  /** Renders with random spacing and keyword case; parentheses where precedence needs them. */
  private static String render(Random random, Node node, boolean insideAnd) {
    String space = random.nextBoolean() ? " " : "  ";
    String text;
    if (node instanceof IsNull isNull) {
      text = COLUMNS.get(isNull.column()).name() + " " + keyword(random, "is")
          + (isNull.negated() ? " " + keyword(random, "not") : "") + " " + keyword(random, "null");
    } else if (node instanceof Compare compare) {
      String gap = random.nextBoolean() ? "" : space;
      text = COLUMNS.get(compare.column()).name() + gap + compare.operator() + gap
          + compare.literal();
    } else {
      Junction junction = (Junction) node;
      text = render(random, junction.left(), junction.and()) + space
          + keyword(random, junction.and() ? "and" : "or") + space
          + render(random, junction.right(), junction.and());
      if (insideAnd && !junction.and()) {
        return "(" + text + ")";
      }
    }
    return random.nextInt(6) == 0 ? "(" + text + ")" : text;
  }

  private static String keyword(Random random, String word) {
    return random.nextBoolean() ? word : word.toUpperCase();
  }

  private static boolean evaluate(Node node, Object[] row) {
    if (node instanceof Junction junction) {
      boolean left = evaluate(junction.left(), row);
      boolean right = evaluate(junction.right(), row);
      return junction.and() ? left && right : left || right;
    }
    if (node instanceof IsNull isNull) {
      return (row[isNull.column()] == null) != isNull.negated();
    }
    Compare compare = (Compare) node;
    Object value = row[compare.column()];
    if (value == null) {
      return false;
    }
    int sign;
    if (value instanceof String text) {
      String literal = compare.literal().substring(1, compare.literal().length() - 1)
          .replace("''", "'");
      sign = Integer.signum(Arrays.compare(text.codePoints().toArray(),
          literal.codePoints().toArray()));
    } else if (value instanceof Long number) {
      sign = new BigDecimal(number).compareTo(new BigDecimal(compare.literal()));
    } else {
      double number = (Double) value;
      double literal = new BigDecimal(compare.literal()).doubleValue();
      if (Double.isNaN(number)) {
        return compare.operator().equals("!=");
      }
      sign = Integer.signum(Double.compare(number == 0 ? 0.0 : number,
          literal == 0 ? 0.0 : literal));
    }
    return switch (compare.operator()) {
      case "=" -> sign == 0;
      case "!=" -> sign != 0;
      case "<" -> sign < 0;
      case "<=" -> sign <= 0;
      case ">" -> sign > 0;
      default -> sign >= 0;
    };
  }

  private static RowBatch batch(Schema schema, List<Object[]> rows) {
    int size = rows.size();
    Object[] columns = new Object[schema.size()];
    BitSet[] nulls = new BitSet[schema.size()];
    for (int c = 0; c < schema.size(); c++) {
      Column column = schema.columns().get(c);
      int source = COLUMNS.indexOf(column);
      nulls[c] = new BitSet();
      switch (column.type()) {
        case LONG -> columns[c] = new long[size];
        case DOUBLE -> columns[c] = new double[size];
        case STRING -> columns[c] = new String[size];
      }
      for (int r = 0; r < size; r++) {
        Object value = source < 0 ? Long.valueOf(r) : rows.get(r)[source];
        if (value == null) {
          nulls[c].set(r);
        } else if (value instanceof Long number) {
          ((long[]) columns[c])[r] = number;
        } else if (value instanceof Double number) {
          ((double[]) columns[c])[r] = number;
        } else {
          ((String[]) columns[c])[r] = (String) value;
        }
      }
    }
    return new RowBatch(schema, new long[size], new long[size], new long[size], columns, nulls);
  }
}
