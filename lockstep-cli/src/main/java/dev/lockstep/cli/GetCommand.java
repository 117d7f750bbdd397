package dev.lockstep.cli;

import dev.lockstep.api.LockstepException;
import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.client.RemoteFeatureClient;
import dev.lockstep.core.Lockstep;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lockstep get}: prints the feature vectors of entities, from the project's online store or
 * from a running server ({@code --server}).
 */
@Command(name = "get", description = "Print online feature vectors of entities, with each feature's status.")
final class GetCommand implements Callable<Integer> {
  @ParentCommand LockstepCommand root;

  @Option(names = "--service", paramLabel = "SERVICE", description = "A feature service.")
  String service;

  @Option(names = "--feature", paramLabel = "VIEW:FEATURE", split = ",", description = "Features, instead of a service.")
  List<String> features = List.of();

  @Option(names = {"-e", "--entity"}, paramLabel = "KEY=VALUE[,KEY=VALUE]", required = true,
      description = "An entity's join keys, e.g. card_id=c-17; repeat for several entities.")
  List<String> entities;

  @Option(names = "--server", paramLabel = "URL", description = "Ask a running server (e.g. http://127.0.0.1:6566) instead of opening the store.")
  URI server;

  @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:LOCKSTEP_API_KEY}",
      description = "The API key for a server with auth: (default: $LOCKSTEP_API_KEY).")
  String apiKey;

  @Override
  public Integer call() {
    if ((service == null) == features.isEmpty()) {
      throw new LockstepException("Cannot get features: give either --service or --feature");
    }
    List<Map<String, Object>> keys = new ArrayList<>();
    for (String entity : entities) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (String pair : entity.split(",")) {
        int equals = pair.indexOf('=');
        if (equals <= 0) {
          throw new LockstepException("Cannot get features: '" + pair + "' is not KEY=VALUE (e.g. card_id=c-17)");
        }
        values.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
      }
      keys.add(values);
    }
    BatchFeatureRequest request = new BatchFeatureRequest(Optional.ofNullable(service), features, keys, Map.of());
    if (server != null) {
      RemoteFeatureClient.Builder builder = RemoteFeatureClient.builder(server);
      if (apiKey != null && !apiKey.isBlank()) {
        builder.apiKey(apiKey);
      }
      try (FeatureClient client = builder.build()) {
        print(client.features(request));
      }
      return 0;
    }
    try (Lockstep lockstep = root.project.open()) {
      print(lockstep.online().client().features(request));
    }
    return 0;
  }

  static void print(List<FeatureVector> vectors) {
    for (FeatureVector vector : vectors) {
      System.out.println(vector.entity() + " at " + vector.t());
      vector.values().forEach((column, value) -> System.out.printf("  %-40s %-24s %s%n", column,
          value instanceof Double number ? String.format("%.6g", number) : String.valueOf(value),
          vector.statuses().get(column)));
    }
  }
}
