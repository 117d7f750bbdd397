package dev.lockstep.cli;

import dev.lockstep.core.Lockstep;
import dev.lockstep.registry.Plan;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code lockstep plan}: shows what {@code apply} would change in the registry. */
@Command(name = "plan", description = "Show the difference between the definitions and the registry.")
final class PlanCommand implements Callable<Integer> {
  @ParentCommand LockstepCommand root;

  @Override
  public Integer call() {
    try (Lockstep lockstep = root.project.open()) {
      Plan plan = lockstep.plan();
      System.out.print(plan.render());
      return plan.refusals().isEmpty() ? 0 : 1;
    }
  }
}
