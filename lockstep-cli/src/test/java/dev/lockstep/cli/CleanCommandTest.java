package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed while it appended leaves data files no snapshot references — a whole one and a
 * truncated one here — in the table's directory. {@code lockstep clean} lists them with
 * {@code --dry-run}, deletes them, spares files younger than its bound, and never touches a file a
 * snapshot references: the table reads the same before and after.
 */
class CleanCommandTest {
  @TempDir Path repo;

  @Test
  void deletesTheDataFilesNoSnapshotReferencesAndNothingElse() throws Exception {
    ReplayParityTest.copyFraudExample(repo);
    Path data = repo.resolve("data");
    assertThat(Cli.run("generate-payments", "--events", "2000", "--out", data.toString()).exitCode()).isZero();
    assertThat(Cli.run("-C", repo.toString(), "apply").exitCode()).isZero();
    assertThat(Cli.run("-C", repo.toString(), "ingest", "payments").exitCode()).isZero();
    Path table = repo.resolve(".lockstep/warehouse/lockstep/payments/data");
    List<Path> referenced = parquetFiles(table);
    assertThat(referenced).isNotEmpty();
    Path day = referenced.get(0).getParent();
    Path whole = Files.copy(referenced.get(0), day.resolve("00000-9-killed.parquet"));
    Path truncated = day.resolve("00000-9-truncated.parquet");
    Files.write(truncated, Files.readAllBytes(referenced.get(0)), java.nio.file.StandardOpenOption.CREATE_NEW);
    Files.write(truncated, new byte[] {'P', 'A', 'R', '1', 0, 0});
    Path young = day.resolve("00000-9-in-progress.parquet");
    Files.copy(referenced.get(0), young);
    FileTime twoHoursAgo = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
    Files.setLastModifiedTime(whole, twoHoursAgo);
    Files.setLastModifiedTime(truncated, twoHoursAgo);
    long before = rows();

    Cli.Result dryRun = Cli.run("-C", repo.toString(), "clean", "--dry-run");
    assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
    assertThat(dryRun.out()).isEqualTo("payments: " + whole + System.lineSeparator() + "payments: " + truncated
        + System.lineSeparator() + "found 2 orphan data files in 1 table" + System.lineSeparator());
    assertThat(whole).exists();

    Cli.Result clean = Cli.run("-C", repo.toString(), "clean");
    assertThat(clean.exitCode()).as(clean.err()).isZero();
    assertThat(clean.out()).endsWith("deleted 2 orphan data files in 1 table" + System.lineSeparator());
    assertThat(whole).doesNotExist();
    assertThat(truncated).doesNotExist();
    assertThat(young).as("younger than the bound: may belong to an append in progress").exists();
    assertThat(parquetFiles(table)).containsAll(referenced);

    Cli.Result everything = Cli.run("-C", repo.toString(), "clean", "--older-than", "0s");
    assertThat(everything.out()).endsWith("deleted 1 orphan data file in 1 table" + System.lineSeparator());
    assertThat(parquetFiles(table)).containsExactlyInAnyOrderElementsOf(referenced);
    assertThat(rows()).isEqualTo(before).isEqualTo(2000);
  }

  private long rows() {
    try (dev.lockstep.core.Lockstep lockstep = dev.lockstep.core.Lockstep.open(repo)) {
      return QualityGateTest.tableRows(lockstep, "payments");
    }
  }

  private static List<Path> parquetFiles(Path directory) throws Exception {
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(file -> file.toString().endsWith(".parquet")).sorted().toList();
    }
  }
}
