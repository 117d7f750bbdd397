package dev.lockstep.cli;

import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.api.client.PushResult;
import dev.lockstep.core.Lockstep;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The process {@link StreamingCrashTest} kills: opens the project, starts streaming and pushes
 * batches of uniquely identified events forever, printing {@code ACK <batch>} once a push returned
 * (the events are durable). Feeds the project's lockstep.yaml lists are followed meanwhile.
 */
public final class StreamingCrashChild {
  private StreamingCrashChild() {}

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args[0]);
    String run = args[1];
    int batchSize = Integer.parseInt(args[2]);
    Lockstep lockstep = Lockstep.open(repo);
    lockstep.online().startStreaming();
    lockstep.followStreams();
    FeatureClient client = lockstep.online().client();
    System.out.println("READY");
    System.out.flush();
    for (int batch = 0; ; batch++) {
      List<Map<String, Object>> events = new ArrayList<>(batchSize);
      for (int i = 0; i < batchSize; i++) {
        events.add(Map.of("card_id", "k" + ((batch * 7 + i) % 13), "ts", System.currentTimeMillis() - i,
            "id", run + "-" + batch + "-" + i));
      }
      PushResult result = client.push("events", events);
      if (result.accepted() != batchSize) {
        throw new IllegalStateException("rejected: " + result.rejected());
      }
      System.out.println("ACK " + run + "-" + batch);
      System.out.flush();
    }
  }
}
