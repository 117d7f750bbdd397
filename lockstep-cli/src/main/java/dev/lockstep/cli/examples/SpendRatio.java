package dev.lockstep.cli.examples;

import dev.lockstep.api.definition.OnDemandFunction;
import java.util.HashMap;
import java.util.Map;

/**
 * The payment-fraud example's request-time feature: the share of the last 30 days' spending that
 * happened in the last 7 days, and the requested amount relative to the 30-day mean. Null when
 * there is nothing to divide by.
 */
public final class SpendRatio implements OnDemandFunction {
  @Override
  public Map<String, Object> compute(Map<String, Object> values) {
    Map<String, Object> out = new HashMap<>();
    Double week = (Double) values.get("card_txn__amount_sum_7d");
    Double month = (Double) values.get("card_txn__amount_sum_30d");
    out.put("spend_ratio_7d_30d", week == null || month == null || month == 0.0 ? null : week / month);
    Double amount = (Double) values.get("amount");
    Double mean = (Double) values.get("card_txn__amount_mean_30d");
    out.put("amount_vs_mean_30d", amount == null || mean == null || mean == 0.0 ? null : amount / mean);
    return out;
  }
}
