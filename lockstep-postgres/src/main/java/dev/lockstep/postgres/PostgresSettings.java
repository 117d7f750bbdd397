package dev.lockstep.postgres;

import dev.lockstep.spi.BackendConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to reach the registry: the connection, the namespace and the limits, read once from the
 * backend's properties (see {@link PostgresRegistryStoreFactory} for their meaning and defaults).
 * {@link #toString()} and {@link #redact} never show the password.
 *
 * @param url the JDBC URL, {@code jdbc:postgresql://...}
 * @param user the role to log in as
 * @param password the password, if one is configured
 * @param namespace which registry of the shared table this store reads and commits
 * @param poolSize the most connections the store holds open
 * @param timeout the bound on opening a connection and on running one statement
 */
record PostgresSettings(
    String url,
    String user,
    Optional<String> password,
    String namespace,
    int poolSize,
    Duration timeout) {
  /** A {@code password=...} parameter of a JDBC URL. */
  private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;\\s]*");

  PostgresSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(timeout, "timeout");
  }

  /** The URL as messages show it: without its parameters, which may hold a password. */
  String shownUrl() {
    int parameters = url.indexOf('?');
    return parameters < 0 ? url : url.substring(0, parameters);
  }

  /** {@code text} with the password and any {@code password=} URL parameter masked. */
  String redact(String text) {
    String result = URL_PASSWORD.matcher(text).replaceAll("$1" + BackendConfig.MASK);
    if (password.isPresent() && !password.get().isEmpty()) {
      result = result.replace(password.get(), BackendConfig.MASK);
    }
    return result;
  }

  /** Every setting, the password masked. */
  @Override
  public String toString() {
    return "PostgresSettings[url="
        + shownUrl()
        + ", user="
        + user
        + ", password="
        + (password.isPresent() ? BackendConfig.MASK : "none")
        + ", namespace="
        + namespace
        + ", poolSize="
        + poolSize
        + ", timeout="
        + timeout
        + "]";
  }
}
