package dev.lockstep.cli;

import dev.lockstep.core.Lockstep;
import dev.lockstep.core.online.FeatureLogger;
import dev.lockstep.core.online.OnlineRuntime;
import java.util.LinkedHashSet;
import java.util.List;

/** Turns on feature logging for the services asked for (see docs/parity.md). */
final class FeatureLogging {
  private FeatureLogging() {}

  static AutoCloseable start(Lockstep lockstep, OnlineRuntime online, List<String> services) {
    if (services.isEmpty()) {
      return () -> {};
    }
    return FeatureLogger.start(lockstep, online, new LinkedHashSet<>(services));
  }
}
