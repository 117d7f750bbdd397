package dev.lockstep.registry;

import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.registry.Change.Action;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What applying a repository would change in the registry, computed against one registry version:
 * the changes, the refusals, and the exact document that {@link Registry#apply} would commit.
 * Immutable. A plan goes stale when another version is committed; applying it then fails.
 */
public final class Plan {
  private final Optional<RegistryDocument> current;
  private final FeatureRepository proposed;
  private final byte[] content;
  private final List<Change> changes;
  private final List<String> refusals;

  Plan(Optional<RegistryDocument> current, FeatureRepository proposed, byte[] content,
      List<Change> changes, List<String> refusals) {
    this.current = current;
    this.proposed = proposed;
    this.content = content;
    this.changes = List.copyOf(changes);
    this.refusals = List.copyOf(refusals);
  }

  /** The registry version this plan was computed against; 0 for an empty registry. */
  public long baseVersion() {
    return current.map(RegistryDocument::version).orElse(0L);
  }

  /** The registry version this plan was computed against, if the registry was not empty. */
  public Optional<RegistryDocument> current() {
    return current;
  }

  /** The definitions that would be committed: pinned, in name order. */
  public FeatureRepository proposed() {
    return proposed;
  }

  /** The changes, in the order {@link #render()} shows them. */
  public List<Change> changes() {
    return changes;
  }

  /**
   * The refused changes, one line each ({@code Cannot change feature ...: ... (hint)}); a plan with
   * refusals cannot be applied.
   */
  public List<String> refusals() {
    return refusals;
  }

  /** Whether nothing would change. */
  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /** The document bytes {@link Registry#apply} commits. */
  byte[] content() {
    return content;
  }

  /**
   * The plan for people, in the manner of {@code terraform plan}:
   *
   * <pre>
   * Registry version 3 -&gt; 4:
   *   + feature card_txn:txn_count_1h@v2 count() over 1h/5m
   *   ~ feature_service fraud_model adds card_txn:txn_count_1h@v2
   *   ~ feature_service fraud_model drops card_txn:txn_count_1h@v1
   * Plan: 1 to add, 1 to change, 0 to remove.
   * </pre>
   *
   * followed, if there are refusals, by {@code Refused (nothing can be applied):} and one {@code !}
   * line per refusal. Every line ends with a newline.
   */
  public String render() {
    StringBuilder text = new StringBuilder();
    if (changes.isEmpty()) {
      text.append(current.isEmpty()
          ? "No changes: the registry and the definitions are both empty.\n"
          : "No changes: registry version " + baseVersion() + " matches the definitions.\n");
    } else {
      text.append(current.isEmpty() ? "Registry empty -> version 1:\n"
          : "Registry version " + baseVersion() + " -> " + (baseVersion() + 1) + ":\n");
      changes.forEach(change -> text.append("  ").append(change).append('\n'));
      long changed = changes.stream().filter(change -> change.action() == Action.CHANGE)
          .map(change -> change.kind() + " " + change.name()).distinct().count();
      text.append("Plan: ").append(count(Action.ADD)).append(" to add, ").append(changed)
          .append(" to change, ").append(count(Action.REMOVE)).append(" to remove.\n");
    }
    if (!refusals.isEmpty()) {
      text.append("Refused (nothing can be applied):\n");
      text.append(refusals.stream().map(refusal -> "  ! " + refusal + "\n")
          .collect(Collectors.joining()));
    }
    return text.toString();
  }

  private long count(Action action) {
    return changes.stream().filter(change -> change.action() == action).count();
  }

  @Override
  public String toString() {
    return render();
  }
}
