package dev.lockstep.cli;

import static dev.lockstep.cli.QualityGateTest.event;
import static dev.lockstep.cli.QualityGateTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.core.Lockstep;
import dev.lockstep.ops.drift.DriftReport;
import dev.lockstep.core.drift.ServiceProfile;
import dev.lockstep.core.training.TrainingSetListener;
import dev.lockstep.core.training.TrainingSetOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift as a server monitors it: the served vectors of a service are profiled and compared with the
 * profile of the newest training set built for it; a shifted distribution raises an ALERT in the
 * status, over HTTP and in the metrics, with the same PSI and KS a direct comparison gives.
 */
class DriftMonitoringTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path repo;

  @Test
  void servedValuesFarFromTheTrainingSetRaiseADriftAlert() throws Exception {
    write(repo.resolve("features.yaml"), QualityGateTest.DEFINITIONS);
    Instant base = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
    StringBuilder events = new StringBuilder("card_id,txn_id,ts,amount,merchant,currency\n");
    StringBuilder spine = new StringBuilder("card_id,ts\n");
    for (int i = 0; i < 200; i++) {
      events.append("t").append(i).append(',').append(i).append(',').append(base).append(',').append(10 + i % 7)
          .append(",m,EUR\n");
      spine.append("t").append(i).append(',').append(base.plusSeconds(60)).append('\n');
    }
    write(repo.resolve("data/train.csv"), events.toString());
    write(repo.resolve("spine.csv"), spine.toString());
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      lockstep.ingest("payments", repo.resolve("data/train.csv"));
      lockstep.trainingSet(TrainingSetOptions.forService("scoring", repo.resolve("spine.csv"), repo.resolve("train_v1")),
          TrainingSetListener.QUIET);
      ServiceProfile training = ServiceProfile.read(repo.resolve("train_v1"));
      assertThat(training.feature("card_life__amount_sum")).isPresent();

      try (ServeCommand.Serving serving = ServeCommand.Serving.start(lockstep, "127.0.0.1", 0, List.of())) {
        var client = serving.online().client();
        long now = System.currentTimeMillis() - 1_000;
        List<Map<String, Object>> served = new ArrayList<>();
        List<Map<String, Object>> cards = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
          served.add(event("s" + i, i, now, 5_000.0 + i, "EUR"));
          cards.add(Map.of("card_id", "s" + i));
        }
        client.push("payments", served);
        serving.online().awaitApplied(Duration.ofSeconds(30));
        client.features(BatchFeatureRequest.forService("scoring", cards));
        serving.drift().awaitProfiled(10_000);

        DriftReport report = serving.drift().reports().get("scoring");
        assertThat(report.feature("card_life__amount_sum").orElseThrow().state().name()).isEqualTo("ALERT");
        assertThat(report.feature("card_life__amount_sum").orElseThrow().ks()).isEqualTo(1.0);
        assertThat(report.feature("card_life__amount_sum").orElseThrow().servedCount()).isEqualTo(150);

        HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + serving.port() + "/v1/status")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        JsonNode drift = JSON.readTree(status.body()).get("drift").get("scoring");
        assertThat(drift.get("state").asText()).isEqualTo("ALERT");
        JsonNode amount = null;
        for (JsonNode feature : drift.get("features")) {
          if (feature.get("feature").asText().equals("card_life__amount_sum")) {
            amount = feature;
          }
        }
        // every served sum (5,000 and up) lies above every training sum (10 to 16): KS is exactly 1
        assertThat(amount.get("ks").asDouble()).isEqualTo(1.0);
        assertThat(amount.get("psi").asDouble()).isEqualTo(report.feature("card_life__amount_sum").orElseThrow().psi());
        assertThat(amount.get("psi").asDouble()).isGreaterThan(0.25);
        assertThat(JSON.readTree(status.body()).get("alerts").toString())
            .contains("drift: feature card_life__amount_sum of service scoring is in ALERT");
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + serving.port() + "/metrics")).GET().build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("lockstep_drift_state{feature=\"card_life__amount_sum\",service=\"scoring\"} 2.0");
      }
    }
  }
}
