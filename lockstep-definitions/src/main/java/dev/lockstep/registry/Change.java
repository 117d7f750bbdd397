package dev.lockstep.registry;

import java.util.Objects;

/**
 * One line of a {@link Plan}: a definition added or removed, or one field of it changed, e.g.
 * {@code ~ feature card_txn:txn_count_1h window 1h -> 2h}.
 *
 * @param action what happens to the definition
 * @param kind {@code entity}, {@code source}, {@code feature_view}, {@code feature}, {@code
 *     on_demand_view} or {@code feature_service}
 * @param name the definition's name; {@code view:feature} or {@code view:feature@vN} for features
 * @param detail for a change, {@code field old -> new} (or {@code adds x} / {@code drops x} for list
 *     members); for an addition, a summary such as {@code mean(amount) over 1h/1m}; may be empty
 */
public record Change(Action action, String kind, String name, String detail) {

  /** What happens to a definition. */
  public enum Action {
    ADD("+"), CHANGE("~"), REMOVE("-");

    private final String symbol;

    Action(String symbol) {
      this.symbol = symbol;
    }

    /** {@code +}, {@code ~} or {@code -}. */
    public String symbol() {
      return symbol;
    }
  }

  public Change {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    detail = detail == null ? "" : detail;
  }

  /** {@code ~ feature card_txn:txn_count_1h window 1h -> 2h}. */
  @Override
  public String toString() {
    return action.symbol + " " + kind + " " + name + (detail.isEmpty() ? "" : " " + detail);
  }
}
