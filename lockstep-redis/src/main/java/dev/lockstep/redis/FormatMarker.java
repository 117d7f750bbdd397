package dev.lockstep.redis;

import dev.lockstep.api.CorruptDataException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The format marker of a namespace: key {@code <namespace>:format} holding {@value
 * KeyLayout#MARKER}. A namespace is opened only if its marker holds exactly that, or if it has no
 * marker yet, in which case it gets one ({@code SET NX}, so that two processes opening a new
 * namespace at once agree).
 */
final class FormatMarker {
  private static final String DOING = "open";

  private FormatMarker() {}

  /**
   * Checks the marker, or writes it if missing.
   *
   * @throws CorruptDataException if the marker holds anything else, or the key is not a string
   * @throws dev.lockstep.spi.BackendException if Redis failed
   */
  static void check(
      RedisAsyncCommands<byte[], byte[]> redis,
      KeyLayout layout,
      Failures failures,
      Duration timeout) {
    byte[] key = layout.formatKey();
    try {
      byte[] marker = Deadline.after(timeout).await(redis.get(key));
      if (marker == null) {
        byte[] ours = KeyLayout.MARKER.getBytes(StandardCharsets.UTF_8);
        String written = Deadline.after(timeout).await(redis.set(key, ours, SetArgs.Builder.nx()));
        if ("OK".equals(written)) {
          return;
        }
        // Another process created the namespace in between: check what it wrote.
        marker = Deadline.after(timeout).await(redis.get(key));
      }
      String found = marker == null ? "" : new String(marker, StandardCharsets.UTF_8);
      if (!found.equals(KeyLayout.MARKER)) {
        throw refused(failures, layout, "holds " + printable(found), hint(found));
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RedisCommandExecutionException error
          && String.valueOf(error.getMessage()).startsWith("WRONGTYPE")) {
        throw refused(
            failures,
            layout,
            "is not a string, so the namespace holds another program's data",
            "choose another 'namespace'");
      }
      throw failures.failure(DOING, e);
    } catch (TimeoutException e) {
      throw failures.failure(DOING, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failures.failure(DOING, e);
    }
  }

  private static CorruptDataException refused(
      Failures failures, KeyLayout layout, String problem, String hint) {
    String key = layout.namespace() + ":format";
    return new CorruptDataException(
        failures.message(
            DOING,
            "its format marker '" + key + "' " + problem + ", not '" + KeyLayout.MARKER + "'",
            hint));
  }

  private static String hint(String found) {
    if (found.startsWith(KeyLayout.FORMAT + " ")) {
      return "this Lockstep reads version "
          + KeyLayout.FORMAT_VERSION
          + ": upgrade Lockstep, or delete the namespace's keys and rebuild the online store";
    }
    return "the namespace holds another program's data: choose another 'namespace'";
  }

  private static String printable(String text) {
    String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
    return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
  }
}
