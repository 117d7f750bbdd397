package dev.lockstep.bench.trainingset;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} command-line options, each checked against the names a main accepts. */
final class Args {
  private final String program;
  private final Map<String, String> values = new HashMap<>();

  private Args(String program) {
    this.program = program;
  }

  /**
   * @throws IllegalArgumentException on an unknown option or one without a value
   */
  static Args parse(String program, String[] args, Set<String> known) {
    Args parsed = new Args(program);
    for (int i = 0; i < args.length; i++) {
      String name = args[i].startsWith("--") ? args[i].substring(2) : null;
      if (name == null || !known.contains(name) || i + 1 >= args.length) {
        throw new IllegalArgumentException("Cannot run " + program + ": unexpected argument '" + args[i]
            + "' (options: " + known.stream().sorted().map(option -> "--" + option + " VALUE").toList() + ")");
      }
      parsed.values.put(name, args[++i]);
    }
    return parsed;
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  String required(String name) {
    String value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException("Cannot run " + program + ": --" + name + " is required");
    }
    return value;
  }

  Path path(String name) {
    return Path.of(required(name));
  }

  long number(String name, long fallback) {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Cannot run " + program + ": --" + name + " must be a whole number, not '" + value + "'", e);
    }
  }
}
