package dev.lockstep.cli;

import dev.lockstep.examples.Payment;
import dev.lockstep.examples.PaymentsGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lockstep generate-payments}: writes deterministic synthetic payments and a spine of 10% of
 * them as CSV, for the fraud example and for trying Lockstep out.
 */
@Command(
    name = "generate-payments",
    description = "Write synthetic payments (payments.csv) and a spine of 10%% of them (spine.csv).")
final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--events", defaultValue = "100000", description = "Payments to write (default: ${DEFAULT-VALUE}).")
  long events;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--start", defaultValue = "2026-01-01T00:00:00Z", description = "First event time (default: ${DEFAULT-VALUE}).")
  Instant start;

  @Option(names = "--days", defaultValue = "60", description = "Days the payments span (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for payments.csv and spine.csv.")
  Path output;

  @Override
  public Integer call() {
    PaymentsGenerator generator =
        PaymentsGenerator.builder()
            .seed(seed)
            .events(events)
            .cards((int) Math.max(1, events / 100))
            .start(start)
            .span(Duration.ofDays(days))
            .build();
    SplittableRandom random = new SplittableRandom(seed);
    long spineRows = 0;
    try {
      Files.createDirectories(output);
      try (BufferedWriter payments = Files.newBufferedWriter(output.resolve("payments.csv"));
          BufferedWriter spine = Files.newBufferedWriter(output.resolve("spine.csv"))) {
        payments.write("card_id,ts,amount,merchant,items\n");
        spine.write("card_id,ts,amount,label\n");
        for (Payment payment : generator) {
          String amount = payment.amount() == null ? "" : Double.toString(payment.amount());
          payments.write(payment.cardId() + "," + Instant.ofEpochMilli(payment.eventTime()) + ","
              + amount + "," + (payment.merchant() == null ? "" : payment.merchant()) + ","
              + payment.items() + "\n");
          if (random.nextInt(10) == 0) {
            long t = payment.eventTime() + (random.nextBoolean() ? 0 : random.nextLong(1, 60_000));
            spine.write(payment.cardId() + "," + Instant.ofEpochMilli(t) + "," + amount + ","
                + (random.nextInt(50) == 0 ? 1 : 0) + "\n");
            spineRows++;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write to " + output + ": " + e.getMessage(), e);
    }
    System.out.printf("Wrote %,d payments to %s and %,d spine rows to %s%n",
        events, output.resolve("payments.csv"), spineRows, output.resolve("spine.csv"));
    return 0;
  }
}
