package dev.lockstep.kafka.broker;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/** The command line of {@link LocalKafkaBroker#main}: {@code [--dir DIR] [--port PORT]}. */
final class BrokerArguments {
  static final String DIR = "--dir";
  static final String DIR_DEFAULT = ".lockstep-kafka";
  static final String PORT = "--port";
  static final String PORT_DEFAULT = "9092";

  private static final String USAGE = "usage: kafka-broker [--dir DIR] [--port PORT]"
      + " (defaults: --dir " + DIR_DEFAULT + " --port " + PORT_DEFAULT + ")";

  private BrokerArguments() {}

  /** The options with their defaults filled in, or null after printing why to {@code errors}. */
  static Map<String, String> parse(String[] args, PrintStream errors) {
    Map<String, String> options = new HashMap<>(Map.of(DIR, DIR_DEFAULT, PORT, PORT_DEFAULT));
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-h") || arg.equals("--help")) {
        errors.println(USAGE);
        return null;
      }
      String value;
      String name;
      int equals = arg.indexOf('=');
      if (equals > 0) {
        name = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      } else {
        name = arg;
        value = i + 1 < args.length ? args[++i] : null;
      }
      if (!options.containsKey(name) || value == null || value.isBlank()) {
        errors.println("kafka-broker: " + (options.containsKey(name) ? name + " needs a value"
            : "unknown argument '" + arg + "'") + "; " + USAGE);
        return null;
      }
      options.put(name, value);
    }
    try {
      int port = Integer.parseInt(options.get(PORT));
      if (port < 0 || port > 65_535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      errors.println("kafka-broker: --port must be a port number 0..65535, got '"
          + options.get(PORT) + "'; " + USAGE);
      return null;
    }
    return options;
  }
}
