package dev.lockstep.examples;

/**
 * One card payment of the reference fraud scenario.
 *
 * @param cardId the entity key, such as {@code card-000042}
 * @param eventTime when the payment happened, epoch milliseconds (UTC)
 * @param ingestTime when it reached Lockstep, epoch milliseconds; never before the event time
 * @param sequence unique, increasing in ingest order
 * @param amount the amount in currency units, rounded to cents; null when missing
 * @param merchant the merchant id; null when missing
 * @param items the number of items bought, at least 1
 */
public record Payment(
    String cardId, long eventTime, long ingestTime, long sequence, Double amount, String merchant, Long items) {}
