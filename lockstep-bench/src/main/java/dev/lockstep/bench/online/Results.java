package dev.lockstep.bench.online;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The lines a benchmark main prints on stdout for {@link OnlineBenchmarks} to collect, one figure
 * each: {@code RESULT<TAB>section<TAB>row<TAB>metric<TAB>value}. Everything else a main says goes to
 * stderr. A row can name the peer row its ratios are taken against:
 * {@code PEER<TAB>section<TAB>row<TAB>peer row}.
 */
final class Results {
  static final String RESULT = "RESULT";
  static final String PEER = "PEER";

  private Results() {}

  static void emit(String section, String row, String metric, double value) {
    System.out.println(String.join("\t", RESULT, section, row, metric, String.format(Locale.ROOT, "%.6g", value)));
    System.out.flush();
  }

  static void peer(String section, String row, String peerRow) {
    System.out.println(String.join("\t", PEER, section, row, peerRow));
    System.out.flush();
  }

  /** Progress for the person running the benchmark, on stderr. */
  static void say(String format, Object... arguments) {
    System.err.printf(Locale.ROOT, format + "%n", arguments);
  }

  /** The 1-, 5- and 15-minute load averages, as {@code /proc/loadavg} shows them. */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | ArrayIndexOutOfBoundsException e) {
      return "unknown";
    }
  }
}
