package dev.lockstep.core.lineage;

import dev.lockstep.api.definition.SourceColumn;
import dev.lockstep.core.config.LineageConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClient;
import io.openlineage.client.transports.ApiKeyTokenProvider;
import io.openlineage.client.transports.FileConfig;
import io.openlineage.client.transports.FileTransport;
import io.openlineage.client.transports.HttpConfig;
import io.openlineage.client.transports.HttpTransport;
import io.openlineage.client.transports.Transport;
import io.openlineage.client.utils.UUIDUtils;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Sends OpenLineage run events for Lockstep's jobs through the official OpenLineage client and the
 * transport {@code lockstep.yaml} configures (see {@link LineageConfig}); does nothing without one.
 *
 * <p>Each run gets a UUIDv7 run id, a START event before the work and a COMPLETE or FAIL event (FAIL
 * with an {@code errorMessage} run facet) after it; every event carries the run's inputs and
 * outputs (see {@link LineageDataset} for their names) and a {@code jobType} facet. Jobs are named
 * {@code ingest.<source>}, {@code materialize} and {@code training_set.<service>}.
 *
 * <p>Lineage is a side channel: a failing transport never fails the user's work. The first failed
 * event of a run prints one warning line to the warnings stream; the run goes on.
 *
 * <p>Thread-safe.
 */
public final class LineageEvents implements AutoCloseable {
  /** The {@code producer} of every event. */
  public static final URI PRODUCER = URI.create("urn:lockstep");
  /** The {@code jobType.integration} of every event. */
  static final String INTEGRATION = "LOCKSTEP";

  private static final LineageEvents DISABLED =
      new LineageEvents(null, null, "", "", List.of(), null, Clock.systemUTC());

  private final OpenLineage openLineage;
  private final OpenLineageClient client;
  private final String namespace;
  private final String destination;
  private final List<String> secrets;
  private final PrintStream warnings;
  private final Clock clock;

  private LineageEvents(OpenLineage openLineage, OpenLineageClient client, String namespace, String destination,
      List<String> secrets, PrintStream warnings, Clock clock) {
    this.openLineage = openLineage;
    this.client = client;
    this.namespace = namespace;
    this.destination = destination;
    this.secrets = secrets;
    this.warnings = warnings;
    this.clock = clock;
  }

  /** Events that go nowhere: what a project without {@code lineage} gets. */
  public static LineageEvents disabled() {
    return DISABLED;
  }

  /**
   * Events through the transport {@code config} describes, or {@link #disabled()} when it is empty.
   * Opening does not contact the destination, so an unreachable one costs nothing here.
   *
   * @param warnings where a failed event's one-line warning goes (standard error in the CLI)
   */
  public static LineageEvents open(Optional<LineageConfig> config, PrintStream warnings) {
    if (config.isEmpty()) {
      return DISABLED;
    }
    LineageConfig lineage = config.get();
    Transport transport;
    try {
      transport = switch (lineage.transport()) {
        case FILE -> fileTransport(lineage.file().orElseThrow());
        case HTTP -> httpTransport(lineage);
      };
    } catch (RuntimeException e) {
      warnings.println("lockstep: warning: cannot open the lineage transport " + lineage
          + "; no lineage events are sent (check lineage in lockstep.yaml)");
      return DISABLED;
    }
    // values a transport's error message may quote, which the warning must not show
    List<String> secrets = new java.util.ArrayList<>();
    lineage.apiKey().ifPresent(secrets::add);
    if (lineage.secretKeys().contains(LineageConfig.URL)) {
      lineage.url().ifPresent(url -> secrets.add(url.toString()));
    }
    lineage.url().map(java.net.URI::getRawUserInfo).ifPresent(secrets::add); // user:password of the URL
    // the client's own meter registry: the global one would warn of duplicate gauges per client
    OpenLineageClient client = new OpenLineageClient(transport, null, new SimpleMeterRegistry());
    return new LineageEvents(new OpenLineage(PRODUCER), client, lineage.namespace(),
        lineage.transport().name().toLowerCase(Locale.ROOT) + " " + lineage.destination(), List.copyOf(secrets),
        warnings, Clock.systemUTC());
  }

  private static Transport fileTransport(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      // the transport reports it on the first event, as a warning
    }
    return new FileTransport(new FileConfig(file.toString()));
  }

  private static Transport httpTransport(LineageConfig lineage) {
    HttpConfig http = new HttpConfig();
    http.setUrl(lineage.url().orElseThrow());
    http.setEndpoint(lineage.endpoint());
    http.setTimeoutInMillis(lineage.timeoutMillis());
    lineage.apiKey().ifPresent(key -> {
      ApiKeyTokenProvider auth = new ApiKeyTokenProvider();
      auth.setApiKey(key);
      http.setAuth(auth);
    });
    return new HttpTransport(http);
  }

  /** Whether events are sent anywhere. */
  public boolean enabled() {
    return client != null;
  }

  /** The namespace of Lockstep's jobs and datasets. */
  public String namespace() {
    return namespace;
  }

  /**
   * Runs {@code work} as a run of job {@code job}: START before, then COMPLETE, or FAIL and the
   * exception rethrown unchanged.
   */
  public <T> T run(String job, String jobType, List<LineageDataset> inputs, List<LineageDataset> outputs,
      Supplier<T> work) {
    if (!enabled()) {
      return work.get();
    }
    Run run = new Run(job, jobType, inputs, outputs);
    run.emit(OpenLineage.RunEvent.EventType.START, null);
    T result;
    try {
      result = work.get();
    } catch (RuntimeException | Error e) {
      run.emit(OpenLineage.RunEvent.EventType.FAIL, e);
      throw e;
    }
    run.emit(OpenLineage.RunEvent.EventType.COMPLETE, null);
    return result;
  }

  /** One run of a job: its id, and whether a warning was printed for it already. */
  private final class Run {
    private final UUID id = UUIDUtils.generateNewUUID();
    private final String job;
    private final String jobType;
    private final List<LineageDataset> inputs;
    private final List<LineageDataset> outputs;
    private boolean warned;

    Run(String job, String jobType, List<LineageDataset> inputs, List<LineageDataset> outputs) {
      this.job = job;
      this.jobType = jobType;
      this.inputs = List.copyOf(inputs);
      this.outputs = List.copyOf(outputs);
    }

    void emit(OpenLineage.RunEvent.EventType type, Throwable failure) {
      try {
        OpenLineage.RunEvent event = event(type, failure);
        synchronized (LineageEvents.this) {
          client.emit(event);
        }
      } catch (Exception | LinkageError e) {
        if (!warned) {
          warned = true;
          warnings.println("lockstep: warning: cannot send lineage event " + type + " of " + job + " to "
              + destination + ": " + masked(oneLine(e)) + " (the " + job + " run goes on; check lineage in lockstep.yaml)");
        }
      }
    }

    private OpenLineage.RunEvent event(OpenLineage.RunEvent.EventType type, Throwable failure) {
      OpenLineage.RunFacetsBuilder runFacets = openLineage.newRunFacetsBuilder();
      if (failure != null) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        runFacets.errorMessage(openLineage.newErrorMessageRunFacet(oneLine(failure), "JAVA", trace.toString()));
      }
      return openLineage.newRunEventBuilder()
          .eventType(type)
          .eventTime(clock.instant().atZone(ZoneOffset.UTC))
          .run(openLineage.newRunBuilder().runId(id).facets(runFacets.build()).build())
          .job(openLineage.newJobBuilder()
              .namespace(namespace)
              .name(job)
              .facets(openLineage.newJobFacetsBuilder()
                  .jobType(openLineage.newJobTypeJobFacet("BATCH", INTEGRATION, jobType, null))
                  .build())
              .build())
          .inputs(inputs.stream().map(dataset -> openLineage.newInputDatasetBuilder()
              .namespace(dataset.namespace()).name(dataset.name()).facets(facets(dataset)).build()).toList())
          .outputs(outputs.stream().map(dataset -> openLineage.newOutputDatasetBuilder()
              .namespace(dataset.namespace()).name(dataset.name()).facets(facets(dataset)).build()).toList())
          .build();
    }

    private OpenLineage.DatasetFacets facets(LineageDataset dataset) {
      if (dataset.columns().isEmpty()) {
        return null;
      }
      List<OpenLineage.SchemaDatasetFacetFields> fields = dataset.columns().stream()
          .map((SourceColumn column) -> openLineage.newSchemaDatasetFacetFieldsBuilder()
              .name(column.name()).type(column.type().name().toLowerCase(Locale.ROOT)).build())
          .toList();
      return openLineage.newDatasetFacetsBuilder().schema(openLineage.newSchemaDatasetFacet(fields)).build();
    }
  }

  private String masked(String text) {
    String result = text;
    for (String secret : secrets) {
      if (!secret.isEmpty()) {
        result = result.replace(secret, dev.lockstep.spi.BackendConfig.MASK);
      }
    }
    return result;
  }

  private static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse("").strip();
  }

  @Override
  public void close() {
    if (client != null) {
      try {
        client.close();
      } catch (Exception e) {
        // nothing is pending: every event was sent (or warned about) synchronously
      }
    }
  }
}
