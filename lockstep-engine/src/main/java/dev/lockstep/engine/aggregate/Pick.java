package dev.lockstep.engine.aggregate;

/**
 * The mutable partial of min, max, first and last: the value picked so far (in the field of the
 * input type) and, for first and last, the order key of its event.
 */
final class Pick {
  boolean present;
  long longValue;
  double doubleValue;
  String stringValue;
  long eventTime;
  long ingestTime;
  long sequence;

  void set(Pick other) {
    present = other.present;
    longValue = other.longValue;
    doubleValue = other.doubleValue;
    stringValue = other.stringValue;
    eventTime = other.eventTime;
    ingestTime = other.ingestTime;
    sequence = other.sequence;
  }

  void setKey(long eventTime, long ingestTime, long sequence) {
    this.present = true;
    this.eventTime = eventTime;
    this.ingestTime = ingestTime;
    this.sequence = sequence;
  }
}
