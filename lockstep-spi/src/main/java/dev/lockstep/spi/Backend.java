package dev.lockstep.spi;

/**
 * A system Lockstep stores or moves data with: an event log, an online store, an offline store, a
 * registry store, a vector index or a model store. Each role is a sub-interface with a small
 * required core; optional operations are default methods that throw {@link
 * UnsupportedBackendOperationException}; optional capabilities are {@code SupportsXxx} mix-ins
 * checked with {@link Capabilities#require}. Backends are created by a {@link BackendFactory} found
 * by name through {@link Backends#load}.
 *
 * <p>Rules every backend follows unless its role says otherwise:
 *
 * <ul>
 *   <li><b>Thread safety.</b> An instance is safe for concurrent use by any number of threads.
 *       Objects it returns that hold a cursor (such as a {@link CloseableIterator}) are for one
 *       thread at a time.
 *   <li><b>Byte arrays.</b> A caller must not modify an array after passing it in, and a backend
 *       must not modify an array after returning it: neither side copies on the hot path.
 *   <li><b>Errors.</b> All unchecked: {@link BackendException} when the backend failed and nothing
 *       took effect, {@link OutcomeUnknownException} when a write may or may not have taken effect,
 *       {@link NotFoundException} / {@link AlreadyExistsException} for named objects, and {@link
 *       IllegalArgumentException} for arguments that break a documented precondition.
 *   <li><b>Lifecycle.</b> {@link #close()} releases every resource and is idempotent; any other
 *       call after it throws {@link IllegalStateException}.
 * </ul>
 */
public interface Backend extends AutoCloseable {

  /** The name this backend is loaded by, lower case, e.g. {@code "rocksdb"}; never changes. */
  String name();

  /**
   * The product's own spelling for messages, e.g. {@code "RocksDB"}; defaults to {@link #name()}.
   */
  default String displayName() {
    return name();
  }

  /**
   * Releases every resource this backend holds. Idempotent. Writes acknowledged before the call
   * stay durable as the role promises.
   *
   * @throws BackendException if a resource could not be released cleanly
   */
  @Override
  void close();
}
