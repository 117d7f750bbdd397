package dev.lockstep.core.internal;

import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.Source;

/**
 * Which events of a source reach a feature view, by their times: the source's future bound
 * ({@link Source#acceptsEventTime}) and the view's lateness bound ({@link FeatureView#accepts}).
 * Training sets, materialization and the streaming applier all ask this one question, so they count
 * the same events.
 */
public final class EventAdmission {
  private EventAdmission() {}

  /** Whether an event dated {@code eventTime}, ingested at {@code ingestTime}, reaches {@code view}. */
  public static boolean admits(Source source, FeatureView view, long eventTime, long ingestTime) {
    return source.acceptsEventTime(eventTime, ingestTime) && view.accepts(eventTime, ingestTime);
  }
}
