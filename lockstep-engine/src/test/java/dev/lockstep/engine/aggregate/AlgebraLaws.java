package dev.lockstep.engine.aggregate;

import dev.lockstep.api.ValueType;
import dev.lockstep.testkit.oracle.OracleEvent;
import java.util.List;

/** Drives an aggregator directly from oracle events, the way every runtime does. */
public final class AlgebraLaws {
  private AlgebraLaws() {}

  public static <P> P aggregate(Aggregator<P, ?> aggregator, List<OracleEvent> events) {
    P partial = aggregator.init();
    for (OracleEvent event : events) {
      add(aggregator, partial, event);
    }
    return partial;
  }

  public static <P> void add(Aggregator<P, ?> aggregator, P partial, OracleEvent event) {
    long eventTime = event.eventTime();
    long ingestTime = event.ingestTime();
    long sequence = event.sequence();
    ValueType type = aggregator.inputType();
    if (type == null) {
      aggregator.addEvent(partial, eventTime, ingestTime, sequence);
    } else if (event.value() != null) {
      switch (type) {
        case LONG -> aggregator.addLong(partial, (Long) event.value(), eventTime, ingestTime, sequence);
        case DOUBLE -> aggregator.addDouble(partial, (Double) event.value(), eventTime, ingestTime, sequence);
        case STRING -> aggregator.addString(partial, (String) event.value(), eventTime, ingestTime, sequence);
      }
    }
  }

  @SuppressWarnings("unchecked")
  public static <P> Object finish(Aggregator<P, ?> aggregator, Object partial) {
    return aggregator.finish((P) partial);
  }
}
