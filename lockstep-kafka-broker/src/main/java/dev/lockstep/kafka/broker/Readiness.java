package dev.lockstep.kafka.broker;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

/**
 * Waits until a started broker serves: a client sees it in the cluster, which it does only once
 * the broker is unfenced, that is, once topics can be placed on it.
 */
final class Readiness {
  private static final long POLL_MILLIS = 100;

  private Readiness() {}

  static void await(String bootstrapServers, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Object> config = Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    try (Admin admin = Admin.create(config)) {
      while (true) {
        try {
          Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions()
              .timeoutMs(5_000)).nodes().get(5, TimeUnit.SECONDS);
          if (!nodes.isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          // Not serving yet.
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the broker did not serve clients within "
              + timeout.toSeconds() + " s");
        }
        Thread.sleep(POLL_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the broker to serve", e);
    }
  }
}
