package dev.lockstep.bench.trainingset;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;

/** The DuckDB settings every benchmark connection uses: offline, 2 threads, bounded memory. */
final class DuckDbSettings {
  private DuckDbSettings() {}

  static void apply(Statement statement, Path temporaryDirectory, String memoryLimit) throws SQLException {
    statement.execute("SET autoinstall_known_extensions = false");
    statement.execute("SET autoload_known_extensions = false");
    statement.execute("SET threads = 2");
    statement.execute("SET memory_limit = '" + memoryLimit + "'");
    statement.execute("SET temp_directory = '" + temporaryDirectory.toAbsolutePath() + "'");
  }
}
