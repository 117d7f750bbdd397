package dev.lockstep.spi.offline;

import static dev.lockstep.api.ValueType.DOUBLE;
import static dev.lockstep.api.ValueType.LONG;
import static dev.lockstep.api.ValueType.STRING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.spi.NotFoundException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaTest {
  private final Schema schema =
      Schema.of(
          Column.required("user_id", STRING),
          Column.nullable("amount", DOUBLE),
          Column.nullable("merchant", STRING),
          Column.required("items", LONG));

  @Test
  void looksColumnsUpByName() {
    assertThat(schema.size()).isEqualTo(4);
    assertThat(schema.column("amount")).isEqualTo(new Column("amount", DOUBLE, true));
    assertThat(schema.position("user_id")).isZero();
    assertThat(schema.position("items")).isEqualTo(3);
    assertThat(schema.findColumn("merchant")).contains(Column.nullable("merchant", STRING));
    assertThat(schema.findColumn("nope")).isEmpty();
    assertThat(schema.columns())
        .extracting(Column::name)
        .containsExactly("user_id", "amount", "merchant", "items");
  }

  @Test
  void rejectsAnUnknownColumnListingTheKnownOnes() {
    assertThatThrownBy(() -> schema.column("amout"))
        .isExactlyInstanceOf(NotFoundException.class)
        .hasMessage(
            "Cannot find column 'amout': the schema has (user_id, amount, merchant, items)");
    assertThatThrownBy(() -> schema.position("nope")).isExactlyInstanceOf(NotFoundException.class);
  }

  @Test
  void suggestsAColumnThatDiffersOnlyInCase() {
    assertThatThrownBy(() -> schema.column("Amount"))
        .hasMessage(
            "Cannot find column 'Amount': the schema has (user_id, amount, merchant, items) "
                + "(did you mean 'amount'? names are case-sensitive)");
  }

  @Test
  void rejectsDuplicateColumnNames() {
    assertThatThrownBy(() -> Schema.of(Column.nullable("a", LONG), Column.nullable("a", STRING)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build schema: column 'a' appears more than once");
  }

  @Test
  void selectsColumnsInTheRequestedOrder() {
    assertThat(schema.select(List.of("items", "user_id")))
        .isEqualTo(Schema.of(Column.required("items", LONG), Column.required("user_id", STRING)));
    assertThatThrownBy(() -> schema.select(List.of("items", "x")))
        .isExactlyInstanceOf(NotFoundException.class);
  }

  @Test
  void acceptsRowsThatFit() {
    schema.validate(Row.of(1, 2, 3, "u-1", 12.5, null, 2L));
    schema.validate(Row.of(1, 2, 3, "u-1", null, "m-9", 0L));
  }

  @Test
  void rejectsRowsOfTheWrongArity() {
    assertThatThrownBy(() -> schema.validate(Row.of(1, 2, 3, "u-1", 12.5)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot accept row: it has 2 values for the 4 columns (user_id, amount, merchant,"
                + " items)");
  }

  @Test
  void rejectsAValueOfTheWrongTypeWithoutShowingIt() {
    assertThatThrownBy(() -> schema.validate(Row.of(1, 2, 3, "u-1", "12.5", null, 2L)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot accept row: column 'amount' is double but its value is a String");
  }

  @Test
  void rejectsANullInARequiredColumn() {
    assertThatThrownBy(() -> schema.validate(Row.of(1, 2, 3, null, 1.0, null, 2L)))
        .hasMessage("Cannot accept row: column 'user_id' is string not null but its value is null");
  }

  @Test
  void printsItsColumns() {
    assertThat(Schema.of(Column.required("id", STRING), Column.nullable("amount", DOUBLE)))
        .hasToString("Schema(id string not null, amount double)");
  }

  @Test
  void rejectsABlankColumnName() {
    assertThatThrownBy(() -> Column.nullable(" ", LONG))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build column: its name is blank");
  }
}
