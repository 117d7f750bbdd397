package dev.lockstep.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lockstep.core.Lockstep;
import dev.lockstep.core.lineage.Direction;
import dev.lockstep.core.lineage.LineageGraph;
import dev.lockstep.core.lineage.LineageNode;
import dev.lockstep.core.lineage.LineageResult;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lockstep lineage NAME}: what a source, view, service or training set is built from and what
 * is built from it, as an indented tree (or JSON).
 */
@Command(
    name = "lineage",
    description = {
      "Show what NAME is built from (upstream) and what is built from it (downstream):",
      "source -> feature view -> on-demand view -> feature service -> training set.",
      "NAME may be prefixed with its kind when it is ambiguous: source:, view:, on_demand_view:, service:, training_set:."
    })
final class LineageCommand implements Callable<Integer> {
  @ParentCommand LockstepCommand root;

  @Parameters(paramLabel = "NAME", description = "A source, feature view, on-demand view, feature service or training set.")
  String name;

  @Option(names = "--upstream", description = "Only what NAME is built from.")
  boolean upstream;

  @Option(names = "--downstream", description = "Only what is built from NAME.")
  boolean downstream;

  @Option(names = "--json", description = "Print the lineage as JSON (nodes and edges).")
  boolean json;

  @Override
  public Integer call() {
    Direction direction = upstream == downstream ? Direction.BOTH
        : upstream ? Direction.UPSTREAM : Direction.DOWNSTREAM;
    LineageResult result;
    try (Lockstep lockstep = root.project.open()) {
      result = lockstep.lineage().query(name, direction);
    }
    System.out.print(json ? json(result) : tree(result));
    return 0;
  }

  /**
   * The lineage as a tree: the node, then under {@code upstream:} what it is built from (each node's
   * own inputs indented below it) and under {@code downstream:} what is built from it. A node met a
   * second time in a section is marked {@code (see above)} instead of being expanded again.
   */
  static String tree(LineageResult result) {
    StringBuilder text = new StringBuilder(label(result.node())).append('\n');
    if (result.direction() != Direction.DOWNSTREAM) {
      section(text, "upstream", result.node(), result::parents);
    }
    if (result.direction() != Direction.UPSTREAM) {
      section(text, "downstream", result.node(), result::children);
    }
    return text.toString();
  }

  private static void section(StringBuilder text, String title, LineageNode node,
      Function<LineageNode, List<LineageNode>> next) {
    List<LineageNode> first = next.apply(node);
    if (first.isEmpty()) {
      text.append("  ").append(title).append(": none\n");
      return;
    }
    text.append("  ").append(title).append(":\n");
    Set<LineageNode> shown = new HashSet<>(Set.of(node));
    for (LineageNode each : first) {
      branch(text, each, 2, next, shown);
    }
  }

  private static void branch(StringBuilder text, LineageNode node, int depth,
      Function<LineageNode, List<LineageNode>> next, Set<LineageNode> shown) {
    text.append("  ".repeat(depth)).append(label(node));
    List<LineageNode> further = next.apply(node);
    if (!shown.add(node)) {
      text.append(further.isEmpty() ? "\n" : " (see above)\n");
      return;
    }
    text.append('\n');
    for (LineageNode each : further) {
      branch(text, each, depth + 1, next, shown);
    }
  }

  /** {@code kind name}; a training set adds where it is, its registry version, when and its rows. */
  static String label(LineageNode node) {
    if (node.kind() != LineageNode.Kind.TRAINING_SET) {
      return node.toString();
    }
    return String.format("%s (%s, registry v%s, %s, %,d rows)", node, node.attributes().get("path"),
        node.attributes().get("registry_version"), node.attributes().get("created_at"),
        (Long) node.attributes().get("rows"));
  }

  private static String json(LineageResult result) {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result.toMap()) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("Cannot write the lineage as JSON", e);
    }
  }
}
