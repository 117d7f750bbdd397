package dev.lockstep.cli;

import dev.lockstep.api.LockstepException;
import dev.lockstep.core.Lockstep;
import dev.lockstep.registry.Plan;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code lockstep apply}: commits the definitions as the next registry version. */
@Command(
    name = "apply",
    description = {
      "Commit the definitions as a new registry version (kept in a timestamped history).",
      "Changing the meaning of a feature version a feature service uses is refused: declare name@v2."
    })
final class ApplyCommand implements Callable<Integer> {
  @ParentCommand LockstepCommand root;

  @Override
  public Integer call() {
    try (Lockstep lockstep = root.project.open()) {
      Plan plan = lockstep.plan();
      System.out.print(plan.render());
      if (!plan.refusals().isEmpty()) {
        throw new LockstepException(
            "Cannot apply: " + plan.refusals().size() + " change(s) refused (see above); nothing was applied");
      }
      if (plan.isEmpty()) {
        System.out.println("No changes; the registry is up to date.");
        return 0;
      }
      long version = lockstep.apply(plan);
      System.out.println("Applied registry version " + version + ".");
      return 0;
    }
  }
}
