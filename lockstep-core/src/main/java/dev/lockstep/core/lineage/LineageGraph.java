package dev.lockstep.core.lineage;

import dev.lockstep.api.client.InvalidRequestException;
import dev.lockstep.api.LockstepException;
import dev.lockstep.api.client.UnknownNameException;
import dev.lockstep.api.definition.FeatureReference;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.OnDemandFeatureView;
import dev.lockstep.api.definition.Source;
import dev.lockstep.definition.Suggestions;
import dev.lockstep.core.lineage.LineageNode.Kind;
import dev.lockstep.registry.RegistryDocument;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The lineage of a project: source → feature view → on-demand view → feature service → training
 * set, from one registry version's definitions and the recorded {@link TrainingSets}. Immutable.
 *
 * <p>Edges come from the definitions: a view reads its source; an on-demand view reads the views
 * its inputs reference; a service reads the views and on-demand views its features reference; a
 * training set was built for its service. References to definitions that do not exist (which the
 * registry refuses) are skipped. A training set names its output directory; when two recorded sets
 * share that name, the newest is shown.
 */
public final class LineageGraph {
  private final long registryVersion;
  private final Map<String, LineageNode> nodes;
  private final List<LineageEdge> edges;

  private LineageGraph(long registryVersion, Map<String, LineageNode> nodes, List<LineageEdge> edges) {
    this.registryVersion = registryVersion;
    this.nodes = nodes;
    this.edges = edges;
  }

  /** The graph of {@code repository} (registry version {@code registryVersion}) and {@code trainingSets}. */
  public static LineageGraph of(FeatureRepository repository, long registryVersion,
      Collection<TrainingSetRecord> trainingSets) {
    Map<String, LineageNode> nodes = new LinkedHashMap<>();
    Set<LineageEdge> edges = new LinkedHashSet<>();
    for (Source source : repository.sources()) {
      add(nodes, LineageNode.of(Kind.SOURCE, source.name()));
    }
    for (FeatureView view : repository.featureViews()) {
      LineageNode node = add(nodes, LineageNode.of(Kind.FEATURE_VIEW, view.name()));
      if (repository.source(view.source()).isPresent()) {
        edges.add(new LineageEdge(nodes.get(Kind.SOURCE.label() + ":" + view.source()), node));
      }
    }
    for (OnDemandFeatureView view : repository.onDemandViews()) {
      add(nodes, LineageNode.of(Kind.ON_DEMAND_VIEW, view.name()));
    }
    for (OnDemandFeatureView view : repository.onDemandViews()) {
      LineageNode node = nodes.get(Kind.ON_DEMAND_VIEW.label() + ":" + view.name());
      for (FeatureReference input : view.inputs()) {
        referenced(repository, nodes, input).ifPresent(from -> edges.add(new LineageEdge(from, node)));
      }
    }
    for (FeatureService service : repository.featureServices()) {
      LineageNode node = add(nodes, LineageNode.of(Kind.FEATURE_SERVICE, service.name()));
      for (FeatureReference feature : service.features()) {
        referenced(repository, nodes, feature).ifPresent(from -> edges.add(new LineageEdge(from, node)));
      }
    }
    Map<String, TrainingSetRecord> newestByName = new LinkedHashMap<>();
    trainingSets.stream()
        .sorted(java.util.Comparator.comparing(TrainingSetRecord::createdAt)
            .thenComparing(record -> record.path().toString()))
        .forEach(record -> {
          newestByName.remove(record.name());
          newestByName.put(record.name(), record);
        });
    for (TrainingSetRecord record : newestByName.values()) {
      LineageNode node = add(nodes, record.node());
      LineageNode service = nodes.get(Kind.FEATURE_SERVICE.label() + ":" + record.service());
      if (service != null) {
        edges.add(new LineageEdge(service, node));
      }
    }
    return new LineageGraph(registryVersion, java.util.Collections.unmodifiableMap(nodes), List.copyOf(edges));
  }

  /** The registry version the definitions came from. */
  public long registryVersion() {
    return registryVersion;
  }

  /** Every node: sources, feature views, on-demand views, services, training sets, each in order. */
  public List<LineageNode> nodes() {
    List<LineageNode> sorted = new ArrayList<>(nodes.values());
    sorted.sort(java.util.Comparator.comparing(LineageNode::kind));
    return List.copyOf(sorted);
  }

  /** Every edge, in the direction data flows. */
  public List<LineageEdge> edges() {
    return edges;
  }

  /**
   * The node {@code name} names: a plain name if only one kind of node has it, or {@code kind:name}
   * ({@code source:payments}, {@code view:card_txn}, {@code service:fraud_model}, {@code
   * training_set:train_q3}; also {@code feature_view:}, {@code on_demand_view:}, {@code
   * feature_service:}).
   *
   * @throws UnknownNameException if nothing has that name (with the closest name, if one is close)
   * @throws LockstepException if the name is ambiguous (listing the candidates), or the kind is unknown
   */
  public LineageNode find(String name) {
    int colon = name.indexOf(':');
    if (colon >= 0) {
      String prefix = name.substring(0, colon);
      String bare = name.substring(colon + 1);
      Kind kind = Kind.forName(prefix).orElseThrow(() -> new InvalidRequestException("Cannot show the lineage of '"
          + name + "': '" + prefix + "' is not a kind (use " + String.join(", ", Kind.prefixes()) + ")"));
      LineageNode node = nodes.get(kind.label() + ":" + bare);
      if (node == null) {
        List<String> sameKind = nodes.values().stream().filter(each -> each.kind() == kind)
            .map(LineageNode::name).toList();
        throw new UnknownNameException("Cannot show the lineage of '" + name + "': there is no " + kind.label()
            + " '" + bare + "' in registry version " + registryVersion
            + Suggestions.closest(bare, sameKind).map(match -> " (did you mean '" + kind.label() + ":" + match + "'?)")
                .orElse(" (" + kind.label() + "s: " + sameKind + ")"));
      }
      return node;
    }
    List<LineageNode> candidates = nodes.values().stream().filter(node -> node.name().equals(name)).toList();
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    if (candidates.size() > 1) {
      throw new InvalidRequestException("Cannot show the lineage of '" + name + "': it names "
          + candidates.stream().map(node -> "a " + node.kind().label()).collect(Collectors.joining(" and "))
          + " (write " + candidates.stream().map(LineageNode::id).collect(Collectors.joining(" or ")) + ")");
    }
    Set<String> names = nodes.values().stream().map(LineageNode::name).collect(Collectors.toCollection(LinkedHashSet::new));
    throw new UnknownNameException("Cannot show the lineage of '" + name + "': no source, feature view, on-demand view,"
        + " feature service or training set in registry version " + registryVersion + " has that name"
        + Suggestions.closest(name, names).map(match -> " (did you mean '" + match + "'?)")
            .orElse(" (lockstep plan lists what is applied)"));
  }

  /**
   * The lineage of the node {@code name} names (see {@link #find}), in {@code direction}.
   *
   * @throws LockstepException if the name is unknown or ambiguous
   */
  public LineageResult query(String name, Direction direction) {
    LineageNode node = find(name);
    List<LineageEdge> upstream = direction.upstream() ? reach(node, true) : List.of();
    List<LineageEdge> downstream = direction.downstream() ? reach(node, false) : List.of();
    return new LineageResult(node, direction, upstream, downstream);
  }

  /** The sources {@code node} reads, directly or through views and services, in registry order. */
  public List<LineageNode> sourcesOf(LineageNode node) {
    Set<LineageNode> reached = new HashSet<>();
    reach(node, true).forEach(edge -> reached.add(edge.from()));
    return nodes().stream().filter(each -> each.kind() == Kind.SOURCE && reached.contains(each)).toList();
  }

  /** Breadth first from {@code start}, against (upstream) or along (downstream) the edges. */
  private List<LineageEdge> reach(LineageNode start, boolean upstream) {
    Set<LineageEdge> reached = new LinkedHashSet<>();
    Set<LineageNode> seen = new HashSet<>(List.of(start));
    Deque<LineageNode> queue = new ArrayDeque<>(List.of(start));
    while (!queue.isEmpty()) {
      LineageNode current = queue.removeFirst();
      for (LineageEdge edge : edges) {
        LineageNode here = upstream ? edge.to() : edge.from();
        LineageNode next = upstream ? edge.from() : edge.to();
        if (here.equals(current)) {
          reached.add(edge);
          if (seen.add(next)) {
            queue.addLast(next);
          }
        }
      }
    }
    return List.copyOf(reached);
  }

  private static LineageNode add(Map<String, LineageNode> nodes, LineageNode node) {
    nodes.put(node.id(), node);
    return node;
  }

  /** The feature view or on-demand view {@code reference} points at, if it exists. */
  private static Optional<LineageNode> referenced(FeatureRepository repository, Map<String, LineageNode> nodes,
      FeatureReference reference) {
    if (repository.featureView(reference.view()).isPresent()) {
      return Optional.of(nodes.get(Kind.FEATURE_VIEW.label() + ":" + reference.view()));
    }
    if (repository.onDemandView(reference.view()).isPresent()) {
      return Optional.of(nodes.get(Kind.ON_DEMAND_VIEW.label() + ":" + reference.view()));
    }
    return Optional.empty();
  }
}
