package dev.lockstep.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.spi.Backends;
import dev.lockstep.spi.registry.RegistryStore;
import dev.lockstep.spi.registry.RegistryVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two JVMs ({@link CommitLoop}) each make 30 read-modify-write commits to one namespace at the same
 * time, retrying on conflict: the registry ends with all 60 lines, one version per commit, and the
 * writers did collide.
 */
class TwoProcessCommitTest {
  private static final int UPDATES = 30;

  private final String namespace = LocalPostgres.newNamespace("two-process");

  @AfterEach
  void deleteNamespace() throws SQLException {
    LocalPostgres.deleteNamespace(namespace);
  }

  @Test
  @Timeout(180)
  void twoProcessesCommittingAtOnceLoseNoUpdate() throws Exception {
    List<Process> writers = new ArrayList<>();
    List<BufferedReader> outputs = new ArrayList<>();
    try {
      for (String writer : List.of("a", "b")) {
        Process process = start(writer);
        writers.add(process);
        BufferedReader output =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        outputs.add(output);
      }
      for (BufferedReader output : outputs) {
        assertThat(output.readLine()).isEqualTo("ready");
      }
      for (Process writer : writers) {
        OutputStream input = writer.getOutputStream();
        input.write("go\n".getBytes(StandardCharsets.UTF_8));
        input.flush();
      }
      int conflicts = 0;
      for (int i = 0; i < writers.size(); i++) {
        Process writer = writers.get(i);
        assertThat(writer.waitFor(150, TimeUnit.SECONDS)).as("writer finished").isTrue();
        assertThat(writer.exitValue()).as("writer exit code").isZero();
        String last = outputs.get(i).readLine();
        assertThat(last).matches("conflicts \\d+");
        conflicts += Integer.parseInt(last.substring("conflicts ".length()));
      }

      try (RegistryStore store =
          Backends.load(
              RegistryStore.class,
              PostgresRegistryStore.NAME,
              Map.of(PostgresRegistryStoreFactory.NAMESPACE, namespace))) {
        List<RegistryVersion> history = store.history();
        assertThat(history).hasSize(2 * UPDATES);
        assertThat(history.get(history.size() - 1).version()).isEqualTo(2 * UPDATES);
        String document =
            new String(store.current().orElseThrow().content(), StandardCharsets.UTF_8);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < UPDATES; i++) {
          expected.add("a " + i);
          expected.add("b " + i);
        }
        assertThat(Arrays.asList(document.split("\n")))
            .hasSize(2 * UPDATES)
            .containsExactlyInAnyOrderElementsOf(expected);
      }
      assertThat(conflicts).as("conflicts the writers met and retried").isPositive();
    } finally {
      for (Process writer : writers) {
        writer.destroyForcibly();
      }
    }
  }

  private Process start(String writer) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(
            java.toString(),
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            CommitLoop.class.getName(),
            namespace,
            writer,
            Integer.toString(UPDATES))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }
}
