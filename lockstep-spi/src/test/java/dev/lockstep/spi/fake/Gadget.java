package dev.lockstep.spi.fake;

import dev.lockstep.spi.Backend;
import dev.lockstep.spi.BackendConfig;

/** A role that exists only in tests, whose factories misbehave in the ways discovery must catch. */
public interface Gadget extends Backend {

  /** The configuration the gadget was created with. */
  BackendConfig config();

  /** A role with no factory at all. */
  interface Unregistered extends Backend {}
}
