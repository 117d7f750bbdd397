package dev.lockstep.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.ValueType;
import dev.lockstep.spi.offline.Column;
import dev.lockstep.spi.offline.Schema;
import java.util.BitSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RowFilterTest {
  private static final Schema SCHEMA = Schema.of(
      Column.nullable("amount", ValueType.DOUBLE),
      Column.nullable("items", ValueType.LONG),
      Column.nullable("merchant", ValueType.STRING),
      Column.nullable("odd-name", ValueType.LONG));

  private static boolean test(String filter, Object amount, Object items, Object merchant) {
    return RowFilter.parse(filter).bind(SCHEMA).test(new Object[] {amount, items, merchant, 0L});
  }

  @Test
  void listsItsColumnsOnceInOrder() {
    assertThat(RowFilter.parse("(b > 1 or a is null) and b < 5 and \"c d\" = 'x'").columns())
        .containsExactly("b", "a", "c d");
  }

  @Test
  void comparisonsWithNullAreFalseEvenNotEqual() {
    assertThat(test("amount != 5", null, 1L, "m")).isFalse();
    assertThat(test("amount = 5", null, 1L, "m")).isFalse();
    assertThat(test("amount is null", null, 1L, "m")).isTrue();
    assertThat(test("amount IS NOT NULL", null, 1L, "m")).isFalse();
    assertThat(test("amount != 5 or items = 1", null, 1L, "m")).isTrue();
  }

  @Test
  void andBindsTighterThanOr() {
    assertThat(test("items = 1 or items = 2 and amount > 10", 0.0, 1L, "m")).isTrue();
    assertThat(test("(items = 1 or items = 2) and amount > 10", 0.0, 1L, "m")).isFalse();
  }

  @Test
  void longColumnsCompareExactlyWithAnyNumber() {
    assertThat(test("items > 2.5", 0.0, 3L, "m")).isTrue();
    assertThat(test("items > 2.5", 0.0, 2L, "m")).isFalse();
    assertThat(test("items = 2.0", 0.0, 2L, "m")).isTrue();
    assertThat(test("items = 2.5", 0.0, 2L, "m")).isFalse();
    assertThat(test("items < 9223372036854775808", 0.0, Long.MAX_VALUE, "m")).isTrue();
    assertThat(test("items > -9223372036854775809", 0.0, Long.MIN_VALUE, "m")).isTrue();
    // 2^53 + 1 is not a double: a comparison through double would call these equal.
    assertThat(test("items = 9007199254740993", 0.0, 9007199254740992L, "m")).isFalse();
    assertThat(test("items > -1e3", 0.0, -999L, "m")).isTrue();
  }

  @Test
  void doubleColumnsCompareWithTheNearestDouble() {
    assertThat(test("amount = 0.1", 0.1, 0L, "m")).isTrue();
    assertThat(test("amount >= .5", 0.5, 0L, "m")).isTrue();
    assertThat(test("amount = 0", -0.0, 0L, "m")).isTrue();
    assertThat(test("amount != 1", Double.NaN, 0L, "m")).isTrue();
    assertThat(test("amount < 1", Double.NaN, 0L, "m")).isFalse();
  }

  @Test
  void stringsCompareByCodePoint() {
    // U+1F600 (a surrogate pair in UTF-16) sorts after U+E000 by code point, before it in UTF-16.
    assertThat(test("merchant > '\uE000'", 0.0, 0L, "\uD83D\uDE00")).isTrue();
    assertThat(test("merchant = 'it''s'", 0.0, 0L, "it's")).isTrue();
    assertThat(test("merchant < 'b'", 0.0, 0L, "ab")).isTrue();
    assertThat(test("merchant <= ''", 0.0, 0L, "")).isTrue();
  }

  @Test
  void quotedNamesReachOddColumns() {
    assertThat(RowFilter.parse("\"odd-name\" = 0").bind(SCHEMA)
        .test(new Object[] {null, null, null, 0L})).isTrue();
  }

  @Test
  void testsRowsOfABatchWhoseSchemaHoldsMoreColumns() {
    BitSet none = new BitSet();
    BitSet first = new BitSet();
    first.set(0);
    var batch = new dev.lockstep.spi.offline.RowBatch(SCHEMA, new long[2], new long[2],
        new long[2], new Object[] {new double[] {0, 12.5}, new long[] {1, 2},
            new String[] {"a", "b"}, new long[2]}, new BitSet[] {first, none, none, none});
    BoundRowFilter filter = RowFilter.parse("amount > 10 and merchant = 'b'").bind(batch.schema());
    assertThat(filter.test(batch, 0)).isFalse();
    assertThat(filter.test(batch, 1)).isTrue();
    BoundRowFilter other = RowFilter.parse("amount > 10").bind(Schema.of(SCHEMA.columns().get(0)));
    assertThatThrownBy(() -> other.test(batch, 0))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot filter a batch of Schema(amount double, items long,");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "amount >|expected a number or a 'quoted string' after '>' at position 9, got the end"
          + " (quote text as 'text')",
      "amount > 0 and|expected a column name at position 15, got the end (write column op value,"
          + " e.g. amount > 0; quote odd column names as \"name\")",
      "amount 5|expected a comparison (=, !=, <, <=, >, >=) or 'is null' after 'amount' at"
          + " position 8, got '5'",
      "amount > 0 amount < 5|unexpected 'amount' at position 12 (join conditions with and / or)",
      "(amount > 0|the '(' at position 1 is not closed (add ')')",
      "amount > 0)|')' at position 11 closes no '(' (remove it)",
      "merchant = 'abc|the string at position 12 is not closed (end it with ')",
      "amount && 1|unexpected character '&' at position 8 (compare with =, !=, <, <=, >, >= and"
          + " join with and / or)",
      "amount ! 1|unexpected '!' at position 8 (write != for not equal)",
      "amount is nul|expected null after 'is' at position 11, got 'nul'",
      "amount = true|expected a number or a 'quoted string' after '=' at position 10, got 'true'"
          + " (quote text as 'text')"})
  void parseErrorsSayWhereAndWhat(String filter, String problem) {
    assertThatThrownBy(() -> RowFilter.parse(filter))
        .isExactlyInstanceOf(InvalidDefinitionException.class)
        .hasMessage("Cannot parse filter '" + filter + "': " + problem);
  }

  @Test
  void bindErrorsNameTheColumnAndTheType() {
    assertThatThrownBy(() -> RowFilter.parse("amont > 0").bind(SCHEMA))
        .hasMessage("Cannot bind filter 'amont > 0': unknown column 'amont' (did you mean"
            + " 'amount'?)");
    assertThatThrownBy(() -> RowFilter.parse("zzz > 0").bind(SCHEMA))
        .hasMessage("Cannot bind filter 'zzz > 0': unknown column 'zzz' (the columns are amount,"
            + " items, merchant, odd-name)");
    assertThatThrownBy(() -> RowFilter.parse("items = 'x'").bind(SCHEMA))
        .hasMessage("Cannot bind filter 'items = 'x'': column 'items' is long and 'x' is a string"
            + " (compare it with a number, e.g. items = 0)");
    assertThatThrownBy(() -> RowFilter.parse("merchant = 5").bind(SCHEMA))
        .hasMessage("Cannot bind filter 'merchant = 5': column 'merchant' is string and 5 is a"
            + " number (quote it: '5')");
    assertThatThrownBy(() -> RowFilter.parse(" "))
        .hasMessage("Cannot parse filter ' ': it is empty (write e.g. amount > 0)");
  }
}
