package dev.lockstep.definition;

import dev.lockstep.api.InvalidDefinitionException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every problem found in a feature repository. Nothing of the repository may be applied or
 * computed. The message holds one line per problem, in the order of {@link #problems()} (files in
 * order, then lines).
 */
public final class DefinitionErrors extends InvalidDefinitionException {
  private final List<DefinitionProblem> problems;

  /** @throws IllegalArgumentException if {@code problems} is empty */
  public DefinitionErrors(List<DefinitionProblem> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  private static String message(List<DefinitionProblem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("Cannot report definition errors: there are none");
    }
    return problems.stream().map(DefinitionProblem::toString).collect(Collectors.joining("\n"));
  }

  /** The problems, at least one. */
  public List<DefinitionProblem> problems() {
    return problems;
  }
}
