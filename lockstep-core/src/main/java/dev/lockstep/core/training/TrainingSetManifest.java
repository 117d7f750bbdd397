package dev.lockstep.core.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lockstep.api.CorruptDataException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code manifest.json} beside a training set: everything needed to build the same bytes again
 * (the registry version holding the definitions, the offline snapshots read, the spine, the mode),
 * and what was built. Format {@code lockstep.training-set}, version 1.
 *
 * @param format always {@code lockstep.training-set}
 * @param version the manifest format version, 1
 * @param service the feature service
 * @param registryVersion the registry version whose definitions were used
 * @param mode {@code EVENT_TIME} or {@code AS_OF_INGEST}
 * @param features every output feature column with its pinned feature version and type
 * @param snapshots per source read, the offline snapshot id (null: the table was empty)
 * @param spine where the spine came from
 * @param timeRange the earliest and latest spine times (ISO-8601), null if no rows
 * @param rows row counts
 * @param files the data files in spine order, relative to the manifest's directory, with their
 *     row counts and SHA-256 digests (to check a rebuild)
 * @param createdAt when it was built (ISO-8601); the only field a rebuild changes
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TrainingSetManifest(
    String format,
    int version,
    String service,
    long registryVersion,
    String mode,
    List<Feature> features,
    Map<String, Long> snapshots,
    Spine spine,
    TimeRange timeRange,
    Rows rows,
    List<DataFile> files,
    String createdAt) {

  public static final String FORMAT = "lockstep.training-set";
  public static final int VERSION = 1;
  public static final String FILE_NAME = "manifest.json";

  /** An output feature column: {@code column}, the pinned {@code feature} reference, its type. */
  public record Feature(String column, String feature, String type) {}

  /**
   * The spine: a file (with its SHA-256 and time column) or a source's events in a time range.
   */
  public record Spine(
      String file,
      @JsonProperty("sha256") String sha256,
      String timeColumn,
      String zone,
      String source,
      String from,
      String to) {}

  /** The earliest and latest spine time, ISO-8601. */
  public record TimeRange(String from, String to) {}

  /** One Parquet file of the training set: its path relative to the manifest, rows, SHA-256. */
  public record DataFile(String path, long rows, @JsonProperty("sha256") String sha256) {}

  /** Spine rows, output rows (always equal) and events read. */
  public record Rows(long spine, long output, long eventsRead) {}

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Writes this manifest to {@code directory/manifest.json}. */
  public void write(Path directory) {
    try {
      JSON.writeValue(directory.resolve(FILE_NAME).toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + directory.resolve(FILE_NAME), e);
    }
  }

  /**
   * Reads a manifest file, or the {@code manifest.json} in a directory.
   *
   * @throws CorruptDataException if it is not a Lockstep training-set manifest of a known version
   */
  public static TrainingSetManifest read(Path path) {
    Path file = Files.isDirectory(path) ? path.resolve(FILE_NAME) : path;
    TrainingSetManifest manifest;
    try {
      manifest = JSON.readValue(file.toFile(), TrainingSetManifest.class);
    } catch (IOException e) {
      throw new CorruptDataException(
          "Cannot read manifest " + file + ": " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (!FORMAT.equals(manifest.format()) || manifest.version() != VERSION) {
      throw new CorruptDataException(
          "Cannot read manifest "
              + file
              + ": it is "
              + manifest.format()
              + " version "
              + manifest.version()
              + ", not "
              + FORMAT
              + " version "
              + VERSION);
    }
    return manifest;
  }
}
