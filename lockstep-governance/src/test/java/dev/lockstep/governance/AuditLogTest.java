package dev.lockstep.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.LockstepException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 audited actions, then each kind of tampering on a copy of the file: verify names the
 * first bad entry, and an untouched log verifies.
 */
class AuditLogTest {
  private static final int ACTIONS = 10_000;

  @TempDir Path dir;
  private Path log;
  private List<String> lines;

  @BeforeEach
  void writeTenThousandActions() throws IOException {
    log = dir.resolve("audit");
    Random random = new Random(5);
    try (AuditLog audit = AuditLog.open(log, 100)) {
      for (int i = 0; i < ACTIONS; i++) {
        audit.append(random.nextBoolean() ? "scoring-app" : "anonymous", random.nextBoolean() ? "push" : "read",
            "source:payments", random.nextInt(10) == 0 ? "denied" : "ok", "req-" + i);
      }
    }
    lines = Files.readAllLines(log.resolve(AuditLog.FILE));
  }

  @Test
  void anUntouchedLogVerifiesAndReopensWhereItEnded() {
    AuditLog.Verification verification = AuditLog.verify(log, false);
    assertThat(verification.problem()).isEmpty();
    assertThat(verification.entries()).isEqualTo(ACTIONS + 2); // opened, the actions, closed
    assertThat(verification.signatures()).isEqualTo(ACTIONS / 100 + 2);
    try (AuditLog again = AuditLog.open(log, 100)) {
      assertThat(again.append("ops", "breaker.reset", "source:payments", "ok", "req-x").seq()).isEqualTo(ACTIONS + 4);
    }
    assertThat(AuditLog.verify(log, false).ok()).isTrue();
    assertThat(AuditLog.list(log).get(ACTIONS + 3).action()).isEqualTo("breaker.reset");
  }

  @Test
  void anEditedEntryIsNamed() throws IOException {
    List<String> edited = new ArrayList<>(lines);
    edited.set(4_999, edited.get(4_999).replaceFirst("\"principal\":\"[a-z-]+\"", "\"principal\":\"eve\""));
    assertThat(edited.get(4_999)).isNotEqualTo(lines.get(4_999));
    assertProblem(edited, "line 5000 (seq 5000): its content does not match its hash (the entry was edited)");
  }

  @Test
  void aDeletedEntryIsNamed() throws IOException {
    List<String> deleted = new ArrayList<>(lines);
    deleted.remove(4_999);
    assertProblem(deleted, "line 5000 (seq 5001): expected seq 5000 (an entry was deleted, inserted or moved)");
  }

  @Test
  void reorderedEntriesAreNamed() throws IOException {
    List<String> reordered = new ArrayList<>(lines);
    reordered.set(99, lines.get(100));
    reordered.set(100, lines.get(99));
    assertProblem(reordered, "line 100 (seq 101): expected seq 100 (an entry was deleted, inserted or moved)");
  }

  @Test
  void anEntryAppendedAfterTheLogWasClosedIsNamedEvenWithAValidChain() throws IOException {
    AuditLog.Entry closed = AuditLog.list(log).get(ACTIONS + 1);
    long seq = closed.seq() + 1;
    Instant time = closed.time().plusSeconds(1);
    String hash = AuditLog.hash(closed.hash(), seq, time, "mallory", "push", "source:payments", "ok", "req-forged");
    List<String> appended = new ArrayList<>(lines);
    appended.add("{\"seq\":" + seq + ",\"time\":\"" + time + "\",\"principal\":\"mallory\",\"action\":\"push\","
        + "\"resource\":\"source:payments\",\"outcome\":\"ok\",\"request_id\":\"req-forged\",\"prev\":\""
        + closed.hash() + "\",\"hash\":\"" + hash + "\"}");
    assertProblem(appended, "line " + seq + " (seq " + seq + "): an entry after the log was closed that no signed"
        + " log.opened precedes (appended after the fact)");
  }

  @Test
  void aForgedSignatureAndATruncatedLogAreNamed() throws IOException {
    List<String> forged = new ArrayList<>(lines);
    int checkpoint = 100; // seq 100 is signed: line 100
    assertThat(forged.get(checkpoint - 1)).contains("\"signature\"");
    forged.set(checkpoint - 1, forged.get(checkpoint - 1).replaceAll("\"signature\":\"[A-Za-z0-9+/=]{10}",
        "\"signature\":\"AAAAAAAAAA"));
    assertProblem(forged, "line 100 (seq 100): its signature does not verify (a forged checkpoint)");
    List<String> truncated = new ArrayList<>(lines.subList(0, lines.size() - 1));
    assertProblem(truncated, "the log ends 1 entries after its last signature at seq 10000 (a process was killed,"
        + " or entries were appended)");
    // a killed process: the tail is unsealed and the last line torn; the next open seals and says so
    String torn = lines.get(lines.size() - 2);
    List<String> killed = new ArrayList<>(lines.subList(0, lines.size() - 2));
    Files.write(log.resolve(AuditLog.FILE), killed, StandardCharsets.UTF_8);
    Files.writeString(log.resolve(AuditLog.FILE), torn.substring(0, 20), java.nio.file.StandardOpenOption.APPEND);
    try (AuditLog resumed = AuditLog.open(log, 100)) {
      assertThat(resumed.entries()).isEqualTo(ACTIONS + 1);
    }
    assertThat(AuditLog.verify(log, false).ok()).isTrue();
    assertThat(AuditLog.list(log).get(ACTIONS).outcome()).isEqualTo("resumed after 0 unsealed entries and a torn last line");
    // but a log that does not verify is never appended to
    List<String> edited = new ArrayList<>(Files.readAllLines(log.resolve(AuditLog.FILE)));
    edited.set(10, edited.get(10).replaceFirst("\"principal\":\"[a-z-]+\"", "\"principal\":\"eve\""));
    Files.write(log.resolve(AuditLog.FILE), edited, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> AuditLog.open(log, 100)).isInstanceOf(LockstepException.class)
        .hasMessageContaining("Cannot open the audit log").hasMessageContaining("line 11 (seq 11)");
  }

  private void assertProblem(List<String> tampered, String problem) throws IOException {
    Path copy = dir.resolve("copy-" + System.nanoTime());
    Files.createDirectories(copy);
    for (String file : List.of(AuditLog.FILE, AuditLog.PUBLIC_KEY, AuditLog.PRIVATE_KEY)) {
      Files.copy(log.resolve(file), copy.resolve(file));
    }
    Files.write(copy.resolve(AuditLog.FILE), tampered, StandardCharsets.UTF_8);
    assertThat(AuditLog.verify(copy, false).problem()).hasValue(problem);
  }
}
