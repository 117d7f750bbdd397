package dev.lockstep.testkit.oracle;

/**
 * One event of one entity, as the oracle sees it.
 *
 * @param eventTime when the event happened, epoch milliseconds (UTC)
 * @param ingestTime when Lockstep accepted it, epoch milliseconds (UTC)
 * @param sequence the durable sequence number assigned at ingest; breaks the last ties
 * @param value the aggregated column's value: a {@link Long}, {@link Double}, {@link String}, or null
 */
public record OracleEvent(long eventTime, long ingestTime, long sequence, Object value) {

  /**
   * @throws IllegalArgumentException if the value is not null, a Long, a Double or a String
   */
  public OracleEvent {
    if (value != null && !(value instanceof Long || value instanceof Double || value instanceof String)) {
      throw new IllegalArgumentException(
          "Cannot create an oracle event with a " + value.getClass().getName()
              + " value: values are Long, Double, String or null");
    }
  }
}
