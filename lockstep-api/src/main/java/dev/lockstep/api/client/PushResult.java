package dev.lockstep.api.client;

import java.util.List;

/**
 * What became of pushed events.
 *
 * @param accepted how many events are durable and will reach the online and offline stores
 * @param rejected the events that did not fit the source and went to its quarantine
 */
public record PushResult(int accepted, List<Rejection> rejected) {

  public PushResult {
    rejected = List.copyOf(rejected);
  }

  /**
   * One quarantined event.
   *
   * @param index its position in the pushed batch, from 0
   * @param reason why it was rejected, e.g. {@code "column 'amount': 'abc' is not a double"}
   */
  public record Rejection(int index, String reason) {}
}
