package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.sun.net.httpserver.HttpServer;
import dev.lockstep.core.Lockstep;
import dev.lockstep.core.online.materialize.MaterializeListener;
import dev.lockstep.core.online.materialize.MaterializeOptions;
import dev.lockstep.core.training.TrainingSetListener;
import dev.lockstep.core.training.TrainingSetOptions;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenLineage run events of real ingest, materialize and training-set runs, through the OpenLineage
 * client's file and HTTP transports; every event is validated against the OpenLineage JSON schema
 * (test resource {@code openlineage/OpenLineage.json}, see its README).
 */
class OpenLineageEventsTest {
  /** The card-fraud repository of the Java API test: one source, one view, one service. */
  private static final String DEFINITIONS = JavaApiTest.DEFINITIONS;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Schema openLineage;

  @TempDir Path repo;

  @BeforeAll
  static void loadSchema() throws Exception {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
        builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    try (InputStream in = OpenLineageEventsTest.class.getResourceAsStream("/openlineage/OpenLineage.json")) {
      openLineage = registry.getSchema(in);
    }
  }

  @BeforeEach
  void files() throws Exception {
    Files.writeString(repo.resolve("features.yaml"), DEFINITIONS);
    Files.writeString(repo.resolve("payments.csv"), """
        card_id,ts,amount
        c1,2026-01-01T10:00:00Z,5.0
        c2,2026-01-01T10:30:00Z,7.0
        """);
    Files.writeString(repo.resolve("spine.csv"), "card_id,ts\nc1,2026-01-01T11:00:00Z\n");
  }

  @Test
  void ingestMaterializeAndTrainingSetRunsAreValidOpenLineageEventsInTheFile() throws Exception {
    Files.writeString(repo.resolve("lockstep.yaml"), "lineage: {transport: file, path: lineage/events.jsonl, namespace: fraud-team}\n");
    Path output = repo.resolve("out/train_q3");
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      lockstep.ingest("payments", repo.resolve("payments.csv"));
      lockstep.materialize(MaterializeOptions.defaults(), MaterializeListener.QUIET);
      lockstep.trainingSet(TrainingSetOptions.forService("fraud", repo.resolve("spine.csv"), output), TrainingSetListener.QUIET);
    }
    List<JsonNode> events = readValid(repo.resolve(".lockstep/lineage/events.jsonl"));
    assertThat(events).map(event -> event.get("eventType").asText() + " " + event.at("/job/name").asText())
        .containsExactly("START ingest.payments", "COMPLETE ingest.payments", "START materialize",
            "COMPLETE materialize", "START training_set.fraud", "COMPLETE training_set.fraud");
    assertThat(events).allSatisfy(event -> {
      assertThat(event.at("/job/namespace").asText()).isEqualTo("fraud-team");
      assertThat(event.at("/producer").asText()).isEqualTo("urn:lockstep");
      assertThat(event.at("/job/facets/jobType/integration").asText()).isEqualTo("LOCKSTEP");
      assertThat(event.at("/job/facets/jobType/processingType").asText()).isEqualTo("BATCH");
    });
    for (int run = 0; run < 3; run++) {
      assertThat(events.get(2 * run).at("/run/runId")).isEqualTo(events.get(2 * run + 1).at("/run/runId"));
    }
    assertThat(events.stream().map(event -> event.at("/run/runId").asText()).distinct()).hasSize(3);

    JsonNode ingest = events.get(1);
    assertThat(ingest.at("/job/facets/jobType/jobType").asText()).isEqualTo("INGEST");
    assertThat(datasets(ingest.get("inputs"))).containsExactly("file " + repo.resolve("payments.csv").toAbsolutePath());
    assertThat(datasets(ingest.get("outputs"))).containsExactly("fraud-team offline.payments");
    assertThat(ingest.at("/outputs/0/facets/schema/fields")).map(field -> field.get("name").asText() + ":"
        + field.get("type").asText()).containsExactly("card_id:string", "amount:double");
    assertThat(ingest.at("/inputs/0/facets/schema/fields")).hasSize(2);

    JsonNode materialize = events.get(3);
    assertThat(datasets(materialize.get("inputs"))).containsExactly("fraud-team offline.payments");
    assertThat(datasets(materialize.get("outputs"))).containsExactly("fraud-team online.card_txn");

    JsonNode trainingSet = events.get(5);
    assertThat(datasets(trainingSet.get("inputs"))).containsExactly("fraud-team offline.payments",
        "file " + repo.resolve("spine.csv").toAbsolutePath());
    assertThat(datasets(trainingSet.get("outputs"))).containsExactly("file " + output.toAbsolutePath());
  }

  @Test
  void aFailedIngestEndsItsRunWithFailAndTheErrorMessage() throws Exception {
    Files.writeString(repo.resolve("lockstep.yaml"), "lineage: {transport: file}\n");
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      assertThatThrownBy(() -> lockstep.ingest("payments", repo.resolve("missing.csv")))
          .satisfies(thrown -> {
            List<JsonNode> events = readValid(repo.resolve(".lockstep/lineage/events.jsonl"));
            assertThat(events).map(event -> event.get("eventType").asText()).containsExactly("START", "FAIL");
            JsonNode error = events.get(1).at("/run/facets/errorMessage");
            assertThat(error.get("message").asText()).isEqualTo(thrown.getMessage().lines().findFirst().orElseThrow());
            assertThat(error.get("programmingLanguage").asText()).isEqualTo("JAVA");
            assertThat(error.get("stackTrace").asText()).contains(thrown.getClass().getName());
            assertThat(events.get(0).at("/run/facets/errorMessage").isMissingNode()).isTrue();
          });
    }
  }

  @Test
  void theHttpTransportPostsEachEventWithTheApiKey() throws Exception {
    List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/lineage", exchange -> {
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
      exchange.sendResponseHeaders(201, -1);
      exchange.close();
    });
    server.start();
    try {
      Files.writeString(repo.resolve("lockstep.yaml"), """
          lineage:
            transport: http
            url: http://127.0.0.1:%d
            api_key: key-for-marquez
          """.formatted(server.getAddress().getPort()));
      try (Lockstep lockstep = Lockstep.open(repo)) {
        lockstep.apply(lockstep.plan());
        assertThat(lockstep.config().lineage().orElseThrow().toString()).doesNotContain("key-for-marquez");
        lockstep.ingest("payments", repo.resolve("payments.csv"));
      }
    } finally {
      server.stop(0);
    }
    assertThat(bodies).hasSize(2);
    List<JsonNode> events = new ArrayList<>();
    for (String body : bodies) {
      events.add(valid(body));
    }
    assertThat(events).map(event -> event.get("eventType").asText() + " " + event.at("/job/namespace").asText()
        + " " + event.at("/job/name").asText()).containsExactly("START lockstep ingest.payments",
        "COMPLETE lockstep ingest.payments");
    assertThat(authorizations).containsOnly("Bearer key-for-marquez");
  }

  @Test
  void aDeadEndpointWarnsOnceAndTheIngestGoesOn() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Files.writeString(repo.resolve("lockstep.yaml"), """
        lineage: {transport: http, url: 'http://127.0.0.1:%d', api_key: key-for-marquez, timeout_ms: 2000}
        """.formatted(port));
    assertThat(Cli.run("-C", repo.toString(), "apply").exitCode()).isZero();
    Cli.Result ingest = Cli.run("-C", repo.toString(), "ingest", "payments", repo.resolve("payments.csv").toString());
    assertThat(ingest.exitCode()).isZero();
    try (Lockstep lockstep = Lockstep.open(repo)) {
      assertThat(lockstep.offlineStore().snapshots("payments")).hasSize(1);
    }
    List<String> warnings = ingest.err().lines().filter(line -> line.contains("lineage")).toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).startsWith("lockstep: warning: cannot send lineage event START of ingest.payments to http"
        + " http://127.0.0.1:" + port + "/api/v1/lineage: ")
        .endsWith(" (the ingest.payments run goes on; check lineage in lockstep.yaml)");
    assertThat(ingest.err()).doesNotContain("key-for-marquez");
  }

  @Test
  void theSchemaCatchesABrokenEvent() throws Exception {
    JsonNode broken = JSON.readTree("""
        {"eventType": "START", "eventTime": "yesterday", "producer": "urn:lockstep",
         "run": {"runId": "not-a-uuid", "facets": {"errorMessage": {"message": "no _producer"}}},
         "job": {"namespace": "lockstep"}}
        """);
    assertThat(openLineage.validate(broken)).map(Error::getMessage).containsExactlyInAnyOrder(
        "does not match the date-time pattern must be a valid RFC 3339 date-time",
        "does not match the uuid pattern must be a valid RFC 4122 UUID",
        "required property '_producer' not found",
        "required property '_schemaURL' not found",
        "required property 'name' not found");
  }

  private static List<JsonNode> readValid(Path file) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank()) {
        events.add(valid(line));
      }
    }
    return events;
  }

  private static JsonNode valid(String text) throws Exception {
    JsonNode event = JSON.readTree(text);
    List<Error> errors = openLineage.validate(event);
    assertThat(errors).as("OpenLineage schema errors of %s", text).isEmpty();
    return event;
  }

  private static List<String> datasets(JsonNode list) {
    List<String> names = new ArrayList<>();
    list.forEach(dataset -> names.add(dataset.get("namespace").asText() + " " + dataset.get("name").asText()));
    return names;
  }
}
