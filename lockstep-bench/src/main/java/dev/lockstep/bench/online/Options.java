package dev.lockstep.bench.online;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options of the online benchmarks: {@code --name value} pairs and the flag
 * {@code --quick}, each checked against the names a main accepts. With {@code --quick}, a numeric
 * option takes its quick default unless given.
 */
final class Options {
  static final String QUICK = "quick";

  private final String program;
  private final Map<String, String> values = new HashMap<>();
  private final boolean quick;

  private Options(String program, boolean quick) {
    this.program = program;
    this.quick = quick;
  }

  /**
   * @throws IllegalArgumentException on an unknown option or one without a value
   */
  static Options parse(String program, String[] args, Set<String> known) {
    boolean quick = Arrays.asList(args).contains("--" + QUICK);
    Options parsed = new Options(program, quick);
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--" + QUICK)) {
        continue;
      }
      String name = args[i].startsWith("--") ? args[i].substring(2) : null;
      if (name == null || !known.contains(name) || i + 1 >= args.length) {
        throw new IllegalArgumentException("Cannot run " + program + ": unexpected argument '" + args[i]
            + "' (options: --quick, " + known.stream().sorted().map(option -> "--" + option + " VALUE").toList() + ")");
      }
      parsed.values.put(name, args[++i]);
    }
    return parsed;
  }

  boolean quick() {
    return quick;
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  Path path(String name, String fallback) {
    return Path.of(string(name, fallback)).toAbsolutePath();
  }

  /** The option's whole number, or {@code full} (or {@code quick} under {@code --quick}). */
  long number(String name, long full, long quick) {
    String value = values.get(name);
    if (value == null) {
      return this.quick ? quick : full;
    }
    try {
      return Long.parseLong(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Cannot run " + program + ": --" + name + " must be a whole number, not '" + value + "'", e);
    }
  }

  /** A duration in seconds, decimals allowed (e.g. 0.5), or {@code full} (or {@code quick} under {@code --quick}). */
  double seconds(String name, double full, double quick) {
    String value = values.get(name);
    if (value == null) {
      return this.quick ? quick : full;
    }
    try {
      double seconds = Double.parseDouble(value);
      if (seconds > 0) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "Cannot run " + program + ": --" + name + " must be a positive number of seconds, not '" + value + "'");
  }

  /** A comma-separated list of whole numbers, e.g. request rates. */
  List<Long> numbers(String name, String full, String quick) {
    String value = values.getOrDefault(name, this.quick ? quick : full);
    try {
      return Arrays.stream(value.split(",")).map(String::trim).filter(part -> !part.isEmpty())
          .map(part -> Long.parseLong(part.replace("_", ""))).toList();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Cannot run " + program + ": --" + name
          + " must be comma-separated whole numbers, not '" + value + "'", e);
    }
  }
}
