package dev.lockstep.definition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects problems while a repository is read and checked; reports them sorted by location. */
final class Problems {
  private final List<DefinitionProblem> problems = new ArrayList<>();

  void add(Location location, String message) {
    problems.add(new DefinitionProblem(location, message));
  }

  boolean isEmpty() {
    return problems.isEmpty();
  }

  int size() {
    return problems.size();
  }

  /** The problems by file, then line; problems on the same line keep the order they were found. */
  List<DefinitionProblem> sorted() {
    List<DefinitionProblem> sorted = new ArrayList<>(problems);
    sorted.sort(
        Comparator.comparing((DefinitionProblem problem) -> problem.location().file())
            .thenComparingInt(problem -> problem.location().line()));
    return sorted;
  }

  /** @throws DefinitionErrors if there is any problem */
  void throwIfAny() {
    if (!problems.isEmpty()) {
      throw new DefinitionErrors(sorted());
    }
  }
}
