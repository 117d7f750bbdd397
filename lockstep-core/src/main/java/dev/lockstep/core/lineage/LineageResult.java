package dev.lockstep.core.lineage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The answer to a lineage query: the node asked about and the edges reached from it upstream and
 * downstream (each list empty when that direction was not asked for or leads nowhere). Edges point
 * the way data flows, and are in a deterministic order: registry declaration order, then training
 * sets oldest first. Immutable.
 *
 * @param node the node asked about
 * @param direction what was asked for
 * @param upstream every edge on a path that ends at {@code node}
 * @param downstream every edge on a path that starts at {@code node}
 */
public record LineageResult(
    LineageNode node, Direction direction, List<LineageEdge> upstream, List<LineageEdge> downstream) {

  public LineageResult {
    upstream = List.copyOf(upstream);
    downstream = List.copyOf(downstream);
  }

  /** The nodes {@code node} is built from directly, among the upstream edges, in order. */
  public List<LineageNode> parents(LineageNode of) {
    return upstream.stream().filter(edge -> edge.to().equals(of)).map(LineageEdge::from).toList();
  }

  /** The nodes built from {@code node} directly, among the downstream edges, in order. */
  public List<LineageNode> children(LineageNode of) {
    return downstream.stream().filter(edge -> edge.from().equals(of)).map(LineageEdge::to).toList();
  }

  /** Every node in the answer, the queried one first, each once. */
  public List<LineageNode> nodes() {
    Set<LineageNode> nodes = new LinkedHashSet<>();
    nodes.add(node);
    for (LineageEdge edge : upstream) {
      nodes.add(edge.from());
      nodes.add(edge.to());
    }
    for (LineageEdge edge : downstream) {
      nodes.add(edge.from());
      nodes.add(edge.to());
    }
    return List.copyOf(nodes);
  }

  /**
   * Plain maps and lists for a JSON writer: {@code {node, direction, nodes, upstream, downstream}},
   * nodes as {@link LineageNode#toMap()} and edges as {@code {from, to}} node ids.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("node", node.toMap());
    map.put("direction", direction.name().toLowerCase(java.util.Locale.ROOT));
    List<Object> nodes = new ArrayList<>();
    nodes().forEach(each -> nodes.add(each.toMap()));
    map.put("nodes", nodes);
    map.put("upstream", upstream.stream().map(LineageEdge::toMap).toList());
    map.put("downstream", downstream.stream().map(LineageEdge::toMap).toList());
    return map;
  }
}
