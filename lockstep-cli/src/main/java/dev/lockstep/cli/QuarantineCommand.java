package dev.lockstep.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.core.Lockstep;
import dev.lockstep.ops.quarantine.QuarantineFilter;
import dev.lockstep.ops.quarantine.QuarantineReplay;
import dev.lockstep.ops.quarantine.QuarantineRows;
import dev.lockstep.ops.quarantine.QuarantinedRow;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lockstep quarantine list|show|replay}: the rows a source's data contract refused, for an
 * operator to inspect, and to re-ingest once the contract or the data is fixed (docs/quality.md).
 */
@Command(
    name = "quarantine",
    description = {
      "Inspect the rows a source's data contract refused (the table SOURCE__quarantine) and replay them",
      "once the contract (lockstep apply) or the data upstream is fixed."
    },
    subcommands = {
      QuarantineCommand.ListRows.class, QuarantineCommand.ShowRow.class, QuarantineCommand.Replay.class
    })
final class QuarantineCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int REASON_WIDTH = 48;
  private static final int RAW_WIDTH = 40;
  private static final int POSITION_WIDTH = 40;

  @ParentCommand LockstepCommand root;
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing a command: list, show or replay (see lockstep quarantine --help)");
  }

  /** The source and the rule filter that list and replay share. */
  static final class Selection {
    @Parameters(index = "0", paramLabel = "SOURCE", description = "The source, as applied.")
    String source;

    @Option(names = "--rule", paramLabel = "RULE",
        description = "Only rows that failed RULE: an id such as range(amount), or a kind such as range.")
    String rule;

    /** The start of the line saying nothing matched. */
    String noRows() {
      return "No quarantined rows of source '" + source + "'" + (rule == null ? "" : " failed rule " + rule);
    }
  }

  @Command(name = "list", description = {
      "List the quarantined rows of a source not replayed yet, oldest first (the newest last), with a count per rule."})
  static final class ListRows implements Callable<Integer> {
    @ParentCommand QuarantineCommand parent;

    @Mixin Selection selection;

    @Option(names = "--all", description = "List replayed rows too, with their outcome.")
    boolean all;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "" + QuarantineFilter.DEFAULT_LIMIT,
        description = "List the newest N rows (default: ${DEFAULT-VALUE}); the counts cover every matching row.")
    int limit;

    @Option(names = "--json", description = "Print the listing as JSON.")
    boolean json;

    @Override
    public Integer call() {
      QuarantineFilter filter =
          QuarantineFilter.pending().withRule(selection.rule).withReplayed(all).withLimit(limit);
      QuarantineRows.Listing listing;
      Path repository;
      try (Lockstep lockstep = parent.root.project.open()) {
        listing = QuarantineRows.list(lockstep, selection.source, filter);
        repository = lockstep.repository();
      }
      if (json) {
        System.out.println(json(listing.toMap()));
        return 0;
      }
      if (listing.matched() == 0) {
        System.out.println(selection.noRows()
            + (all ? "" : " pending replay") + hidden(listing) + ".");
        return 0;
      }
      System.out.print(table(listing.rows(), repository, all));
      String showing = listing.omitted() == 0 ? ""
          : "; the newest " + listing.rows().size() + " listed (--limit)";
      System.out.println(count(listing.matched(), "row") + (all ? "" : " pending replay") + showing + hidden(listing)
          + ":");
      int width = listing.byRule().keySet().stream().mapToInt(String::length).max().orElse(0);
      listing.byRule().entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .forEach(entry -> System.out.printf("  %-" + width + "s  %,d%n", entry.getKey(), entry.getValue()));
      return 0;
    }

    private static String hidden(QuarantineRows.Listing listing) {
      return listing.replayedHidden() == 0 ? ""
          : " (" + count(listing.replayedHidden(), "replayed row") + " hidden; --all lists them)";
    }
  }

  @Command(name = "show", description = "Show one quarantined row in full: where it came from, why, and its raw payload.")
  static final class ShowRow implements Callable<Integer> {
    @ParentCommand QuarantineCommand parent;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "The source, as applied.")
    String source;

    @Parameters(index = "1", paramLabel = "ID", description = "The row's id, as lockstep quarantine list shows it.")
    long id;

    @Option(names = "--json", description = "Print the row as JSON.")
    boolean json;

    @Override
    public Integer call() {
      QuarantinedRow row;
      try (Lockstep lockstep = parent.root.project.open()) {
        lockstep.appliedSource(source);
        row = QuarantineRows.show(lockstep.offlineStore(), source, id);
      }
      if (json) {
        System.out.println(json(row.toMap()));
        return 0;
      }
      List<String[]> fields = new ArrayList<>();
      fields.add(new String[] {"id", Long.toString(row.id())});
      fields.add(new String[] {"quarantined at", row.quarantinedAt().toString()});
      fields.add(new String[] {"origin", row.origin().label()});
      fields.add(new String[] {"position", row.position()});
      fields.add(new String[] {"row", Long.toString(row.row())});
      fields.add(new String[] {"rule", row.rule()});
      fields.add(new String[] {"reason", row.reason()});
      fields.add(new String[] {"status", row.replayed().map(r -> r.outcome() + " on replay at " + r.at())
          .orElse("pending replay")});
      row.header().ifPresent(header -> fields.add(new String[] {"header", header}));
      fields.add(new String[] {"raw", row.raw()});
      for (String[] field : fields) {
        System.out.printf("%-14s  %s%n", field[0], field[1]);
      }
      return 0;
    }
  }

  @Command(name = "replay", description = {
      "Re-ingest the pending quarantined rows of a source through its contract as applied now: rows of a batch",
      "ingest as a file under DATA_DIR/quarantine-replays, streamed rows (push, tail, feed) into the stream, which",
      "needs this process to stream (while lockstep serve runs, replay on the server instead).",
      "Rows that fail again are quarantined again with new ids; replayed ids are recorded in",
      "lockstep__quarantine_replays and not replayed twice."})
  static final class Replay implements Callable<Integer> {
    @ParentCommand QuarantineCommand parent;

    @Mixin Selection selection;

    @Option(names = "--id", paramLabel = "ID", description = "Only the row ID (repeatable).")
    List<Long> ids = new ArrayList<>();

    @Override
    public Integer call() {
      QuarantineReplay.Result result;
      try (Lockstep lockstep = parent.root.project.open()) {
        result = QuarantineReplay.replay(lockstep, selection.source,
            QuarantineFilter.pending().withRule(selection.rule).withIds(ids));
      }
      if (result.replayed() == 0 && result.unreplayable() == 0) {
        System.out.println(selection.noRows()
            + " pending replay" + (ids.isEmpty() ? "" : " among the ids given") + "; nothing replayed.");
        return 0;
      }
      System.out.println("Replayed " + count(result.replayed(), "quarantined row") + " of source '" + selection.source + "': "
          + result.accepted() + " accepted, " + result.quarantinedAgain() + " quarantined again");
      System.out.println("  replayed, by rule failed before: " + byRule(result.replayedByRule()));
      if (result.quarantinedAgain() > 0) {
        System.out.println("  quarantined again, by rule:      " + byRule(result.quarantinedAgainByRule())
            + " (new ids; lockstep quarantine list " + selection.source + ")");
      }
      if (result.unreplayable() > 0) {
        System.out.println("  " + count(result.unreplayable(), "streamed row") + " not replayed: the raw payload is not"
            + " a JSON object (they stay pending; fix them upstream and send them again)");
      }
      return 0;
    }

    private static String byRule(Map<String, Long> counts) {
      return counts.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .map(entry -> entry.getKey() + " " + entry.getValue()).collect(Collectors.joining(", "));
    }
  }

  /** The rows as aligned columns, each cell on one line, long ones cut. */
  static String table(List<QuarantinedRow> rows, Path repository, boolean withStatus) {
    List<String[]> lines = new ArrayList<>();
    lines.add(withStatus
        ? new String[] {"ID", "QUARANTINED AT", "ORIGIN", "POSITION:ROW", "RULE", "STATUS", "REASON", "RAW"}
        : new String[] {"ID", "QUARANTINED AT", "ORIGIN", "POSITION:ROW", "RULE", "REASON", "RAW"});
    for (QuarantinedRow row : rows) {
      List<String> cells = new ArrayList<>(List.of(Long.toString(row.id()),
          row.quarantinedAt().truncatedTo(ChronoUnit.SECONDS).toString(), row.origin().label(),
          cutLeft(position(row.position(), repository) + ":" + row.row(), POSITION_WIDTH), row.rule()));
      if (withStatus) {
        cells.add(row.status());
      }
      cells.add(cut(row.reason(), REASON_WIDTH));
      cells.add(cut(row.raw(), RAW_WIDTH));
      lines.add(cells.toArray(String[]::new));
    }
    int[] widths = new int[lines.get(0).length];
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] line : lines) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < line.length; i++) {
        String padding = " ".repeat(widths[i] - line[i].length());
        // ids right-aligned, so they line up by digit
        text.append(i == 0 ? padding + line[i] : line[i] + padding).append("  ");
      }
      out.append(text.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /** A file position relative to the repository when it is inside it: shorter, and what the user typed. */
  private static String position(String position, Path repository) {
    try {
      Path path = Path.of(position);
      return path.isAbsolute() && path.startsWith(repository) ? repository.relativize(path).toString() : position;
    } catch (RuntimeException e) {
      return position;
    }
  }

  /** {@code text} on one line, at most {@code width} characters, cut at the end. */
  static String cut(String text, int width) {
    String line = text.replace("\r", "\\r").replace("\n", "\\n");
    return line.length() <= width ? line : line.substring(0, width - 3) + "...";
  }

  /** {@code text} at most {@code width} characters, cut at the start (a path's file name matters most). */
  private static String cutLeft(String text, int width) {
    return text.length() <= width ? text : "..." + text.substring(text.length() - width + 3);
  }

  private static String count(long count, String noun) {
    return String.format("%,d %s%s", count, noun, count == 1 ? "" : "s");
  }

  private static String json(Map<String, Object> map) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
