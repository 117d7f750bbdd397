package dev.lockstep.registry;

import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.spi.registry.RegistryVersion;

/**
 * The stored form of a registry document: canonical JSON that names its format and version,
 *
 * <pre>{@code
 * {
 *   "format": "lockstep.registry",
 *   "version": 1,
 *   "entities": [...], "sources": [...], "feature_views": [...],
 *   "on_demand_views": [...], "feature_services": [...]
 * }
 * }</pre>
 *
 * with the keys of the YAML definitions (see {@code docs/definitions.md}), every feature's {@code
 * version} and its window's {@code hop} written out, and every reference pinned ({@code
 * card_txn:txn_count_5m@v1}). Encoding is deterministic: equal repositories give equal bytes, and
 * decoding then encoding gives the bytes back. Thread-safe.
 */
public final class RegistryCodec {
  /** The format name every document carries. */
  public static final String FORMAT = "lockstep.registry";

  /** The format version this class writes, and the only one it reads. */
  public static final int VERSION = 1;

  private RegistryCodec() {}

  /**
   * The canonical bytes of {@code repository}, after pinning its references and ordering its
   * definitions by name.
   *
   * @throws InvalidDefinitionException if a reference names no feature
   */
  public static byte[] encode(FeatureRepository repository) {
    return DocumentWriter.write(Pinning.pin(repository));
  }

  /**
   * The repository {@code content} holds.
   *
   * @throws CorruptDataException if it is not a registry document of format version {@value
   *     #VERSION}, or any field is missing, unknown or malformed
   */
  public static FeatureRepository decode(byte[] content) {
    FeatureRepository repository = DocumentReader.read(content);
    if (!Pinning.isPinned(repository)) {
      throw DocumentReader.corrupt("a feature reference has no version");
    }
    return repository;
  }

  /**
   * The document of a stored registry version.
   *
   * @throws CorruptDataException as {@link #decode(byte[])}
   */
  public static RegistryDocument decode(RegistryVersion stored) {
    return new RegistryDocument(stored.version(), stored.committedAt(), decode(stored.content()));
  }
}
