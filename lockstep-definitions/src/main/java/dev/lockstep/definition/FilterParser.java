package dev.lockstep.definition;

import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.definition.FilterExpression.And;
import dev.lockstep.definition.FilterExpression.Comparison;
import dev.lockstep.definition.FilterExpression.Literal;
import dev.lockstep.definition.FilterExpression.NullTest;
import dev.lockstep.definition.FilterExpression.NumberLiteral;
import dev.lockstep.definition.FilterExpression.Operator;
import dev.lockstep.definition.FilterExpression.Or;
import dev.lockstep.definition.FilterExpression.StringLiteral;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recursive-descent parser of the filter grammar, {@code and} binding tighter than {@code or}:
 *
 * <pre>
 * filter     := conjunction ('or' conjunction)*
 * conjunction:= primary ('and' primary)*
 * primary    := '(' filter ')' | column operator literal | column 'is' ['not'] 'null'
 * operator   := '=' | '!=' | '&lt;' | '&lt;=' | '&gt;' | '&gt;='
 * literal    := number | 'string'          ('' inside a string is one quote)
 * column     := name | "quoted name"       (keywords are case-insensitive)
 * </pre>
 */
final class FilterParser {
  private static final Pattern NUMBER =
      Pattern.compile("-?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*");
  private static final String OPERATORS = "=, !=, <, <=, >, >=";

  private enum Kind { NAME, QUOTED_NAME, NUMBER, STRING, OPERATOR, OPEN, CLOSE, END }

  private record Token(Kind kind, String text, int position) {
    boolean isKeyword(String keyword) {
      return kind == Kind.NAME && text.equalsIgnoreCase(keyword);
    }

    String shown() {
      return kind == Kind.END ? "the end" : "'" + text + "'";
    }
  }

  private final String filter;
  private final List<Token> tokens;
  private int next;

  private FilterParser(String filter) {
    this.filter = filter;
    this.tokens = tokenize(filter);
  }

  /** @throws InvalidDefinitionException naming the position of the first problem */
  static FilterExpression parse(String filter) {
    if (filter == null || filter.isBlank()) {
      throw new InvalidDefinitionException(
          "Cannot parse filter '" + filter + "': it is empty (write e.g. amount > 0)");
    }
    FilterParser parser = new FilterParser(filter);
    FilterExpression expression = parser.disjunction();
    Token extra = parser.peek();
    if (extra.kind() != Kind.END) {
      throw parser.error(extra.kind() == Kind.CLOSE
          ? "')' at position " + extra.position() + " closes no '(' (remove it)"
          : "unexpected " + extra.shown() + " at position " + extra.position()
              + " (join conditions with and / or)");
    }
    return expression;
  }

  private FilterExpression disjunction() {
    FilterExpression left = conjunction();
    while (peek().isKeyword("or")) {
      next++;
      left = new Or(left, conjunction());
    }
    return left;
  }

  private FilterExpression conjunction() {
    FilterExpression left = primary();
    while (peek().isKeyword("and")) {
      next++;
      left = new And(left, primary());
    }
    return left;
  }

  private FilterExpression primary() {
    Token token = take();
    if (token.kind() == Kind.OPEN) {
      FilterExpression inner = disjunction();
      if (take().kind() != Kind.CLOSE) {
        throw error("the '(' at position " + token.position() + " is not closed (add ')')");
      }
      return inner;
    }
    boolean keyword = token.kind() == Kind.NAME && List.of("and", "or", "is", "not", "null")
        .contains(token.text().toLowerCase(Locale.ROOT));
    if ((token.kind() != Kind.NAME && token.kind() != Kind.QUOTED_NAME) || keyword) {
      throw error("expected a column name at position " + token.position() + ", got "
          + token.shown() + " (write column op value, e.g. amount > 0; quote odd column names"
          + " as \"name\")");
    }
    String column = token.text();
    Token operator = take();
    if (operator.isKeyword("is")) {
      boolean negated = peek().isKeyword("not");
      if (negated) {
        next++;
      }
      Token nullWord = take();
      if (!nullWord.isKeyword("null")) {
        throw error("expected null after 'is" + (negated ? " not" : "") + "' at position "
            + nullWord.position() + ", got " + nullWord.shown());
      }
      return new NullTest(column, negated);
    }
    if (operator.kind() != Kind.OPERATOR) {
      throw error("expected a comparison (" + OPERATORS + ") or 'is null' after '" + column
          + "' at position " + operator.position() + ", got " + operator.shown());
    }
    Token value = take();
    Literal literal = switch (value.kind()) {
      case NUMBER -> new NumberLiteral(new BigDecimal(value.text()), value.text());
      case STRING -> new StringLiteral(value.text());
      default -> throw error("expected a number or a 'quoted string' after '" + operator.text()
          + "' at position " + value.position() + ", got " + value.shown()
          + " (quote text as 'text')");
    };
    return new Comparison(column, operator(operator.text()), literal);
  }

  private static Operator operator(String symbol) {
    for (Operator operator : Operator.values()) {
      if (operator.symbol.equals(symbol)) {
        return operator;
      }
    }
    throw new AssertionError(symbol);
  }

  private Token peek() {
    return tokens.get(next);
  }

  private Token take() {
    Token token = tokens.get(next);
    if (token.kind() != Kind.END) {
      next++;
    }
    return token;
  }

  private InvalidDefinitionException error(String problem) {
    return error(filter, problem);
  }

  private static InvalidDefinitionException error(String filter, String problem) {
    return new InvalidDefinitionException("Cannot parse filter '" + filter + "': " + problem);
  }

  private static List<Token> tokenize(String text) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      int position = i + 1;
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')') {
        tokens.add(new Token(c == '(' ? Kind.OPEN : Kind.CLOSE, String.valueOf(c), position));
        i++;
      } else if (c == '\'' || c == '"') {
        StringBuilder value = new StringBuilder();
        int j = i + 1;
        while (true) {
          if (j >= text.length()) {
            throw error(text, "the " + (c == '\'' ? "string" : "quoted name")
                + " at position " + position + " is not closed (end it with " + c + ")");
          }
          if (text.charAt(j) == c) {
            if (j + 1 < text.length() && text.charAt(j + 1) == c) {
              value.append(c);
              j += 2;
              continue;
            }
            break;
          }
          value.append(text.charAt(j++));
        }
        tokens.add(new Token(c == '\'' ? Kind.STRING : Kind.QUOTED_NAME, value.toString(),
            position));
        i = j + 1;
      } else if ("=!<>".indexOf(c) >= 0) {
        String two = i + 1 < text.length() ? text.substring(i, i + 2) : "";
        String symbol = List.of("!=", "<=", ">=").contains(two) ? two : String.valueOf(c);
        if (symbol.equals("!")) {
          throw error(text, "unexpected '!' at position " + position + " (write != for not equal)");
        }
        tokens.add(new Token(Kind.OPERATOR, symbol, position));
        i += symbol.length();
      } else {
        Matcher number = NUMBER.matcher(text).region(i, text.length());
        Matcher name = NAME.matcher(text).region(i, text.length());
        if (number.lookingAt()) {
          tokens.add(new Token(Kind.NUMBER, number.group(), position));
          i = number.end();
        } else if (name.lookingAt()) {
          tokens.add(new Token(Kind.NAME, name.group(), position));
          i = name.end();
        } else {
          throw error(text, "unexpected character '" + c + "' at position " + position
              + " (compare with " + OPERATORS + " and join with and / or)");
        }
      }
    }
    tokens.add(new Token(Kind.END, "", text.length() + 1));
    return tokens;
  }
}
