package dev.lockstep.spi;

import java.util.Objects;

/** Checks for the optional {@code SupportsXxx} capabilities of a backend. */
public final class Capabilities {
  private Capabilities() {}

  /**
   * Returns {@code backend} as {@code capability} when it has it.
   *
   * <pre>{@code
   * SupportsTtl ttl = Capabilities.require(store, SupportsTtl.class, "expiry");
   * }</pre>
   *
   * @param operation what the caller is about to do, as it should read in the error message
   * @throws UnsupportedBackendOperationException with message {@code "<Backend> does not support
   *     <operation>"} if {@code backend} does not implement {@code capability}
   * @throws NullPointerException if an argument is null
   */
  public static <C> C require(Backend backend, Class<C> capability, String operation) {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(capability, "capability");
    Objects.requireNonNull(operation, "operation");
    if (!capability.isInstance(backend)) {
      throw UnsupportedBackendOperationException.of(backend, operation);
    }
    return capability.cast(backend);
  }
}
