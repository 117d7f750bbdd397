package dev.lockstep.core.lineage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One edge of the lineage graph, in the direction data flows: {@code from} feeds {@code to} (a
 * source feeds its feature views, a view the services that read it, a service its training sets).
 */
public record LineageEdge(LineageNode from, LineageNode to) {

  /** {@code {from: id, to: id}} for JSON. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("from", from.id());
    map.put("to", to.id());
    return map;
  }

  @Override
  public String toString() {
    return from.id() + " -> " + to.id();
  }
}
