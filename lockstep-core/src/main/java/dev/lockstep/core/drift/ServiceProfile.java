package dev.lockstep.core.drift;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.LockstepException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The profiles of every feature column of a training set, or of a service's served vectors over a
 * window: the {@code profile.json} beside a training set's {@code manifest.json}. Format {@code
 * lockstep.profile}, version 1; JSON in snake case, and reading what {@link #toJson} wrote gives an
 * equal profile.
 *
 * @param format always {@code lockstep.profile}
 * @param version the format version, 1
 * @param service the feature service
 * @param rows the rows (training) or vectors (served) profiled
 * @param from a training set's earliest spine time, or the start of a served window (ISO-8601);
 *     null if unknown
 * @param to a training set's latest spine time, or the end of a served window (ISO-8601); null if
 *     unknown
 * @param features one profile per feature column, in output order
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ServiceProfile(
    String format, int version, String service, long rows, String from, String to, List<FeatureProfile> features) {

  public static final String FORMAT = "lockstep.profile";
  public static final int VERSION = 1;
  public static final String FILE_NAME = "profile.json";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public ServiceProfile {
    features = features == null ? List.of() : List.copyOf(features);
  }

  /** A profile of the current format and version. */
  public static ServiceProfile of(String service, long rows, String from, String to, List<FeatureProfile> features) {
    return new ServiceProfile(FORMAT, VERSION, service, rows, from, to, features);
  }

  /** The profile of feature column {@code name}, if profiled. */
  public Optional<FeatureProfile> feature(String name) {
    return features.stream().filter(feature -> feature.name().equals(name)).findFirst();
  }

  /** This profile as JSON. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the profile of " + service + " as JSON: " + e.getMessage(), e);
    }
  }

  /** Writes this profile to {@code directory/profile.json}. */
  public void write(Path directory) {
    try {
      JSON.writeValue(directory.resolve(FILE_NAME).toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + directory.resolve(FILE_NAME), e);
    }
  }

  /**
   * Reads the {@code profile.json} of a training-set directory, or a profile file.
   *
   * @throws LockstepException if there is no such file (training sets built before profiles existed)
   * @throws CorruptDataException if it is not a Lockstep profile of a known version
   */
  public static ServiceProfile read(Path trainingSetDirectory) {
    Path file = Files.isDirectory(trainingSetDirectory) ? trainingSetDirectory.resolve(FILE_NAME) : trainingSetDirectory;
    if (!Files.isRegularFile(file)) {
      throw new LockstepException(
          "Cannot read profile " + file + ": no such file (training sets built before profiles existed have none;"
              + " build the training set again)");
    }
    try {
      return checked(JSON.readValue(file.toFile(), ServiceProfile.class), file.toString());
    } catch (IOException e) {
      throw new CorruptDataException(
          "Cannot read profile " + file + ": " + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }

  /**
   * Reads a profile from JSON.
   *
   * @throws CorruptDataException if it is not a Lockstep profile of a known version
   */
  public static ServiceProfile fromJson(String json) {
    try {
      return checked(JSON.readValue(json, ServiceProfile.class), "JSON");
    } catch (IOException e) {
      throw new CorruptDataException(
          "Cannot read profile JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }

  private static ServiceProfile checked(ServiceProfile profile, String where) {
    if (!FORMAT.equals(profile.format()) || profile.version() != VERSION) {
      throw new CorruptDataException(
          "Cannot read profile " + where + ": it is " + profile.format() + " version " + profile.version()
              + ", not " + FORMAT + " version " + VERSION);
    }
    return profile;
  }
}
