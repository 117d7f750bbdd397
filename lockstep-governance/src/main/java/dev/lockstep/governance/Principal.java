package dev.lockstep.governance;

import java.util.List;

/**
 * Who a request acts for: a name (an API key's name, a token's subject), its roles, and how it
 * proved it. Immutable.
 */
public record Principal(String name, List<String> roles, Via via) {
  /** How a principal authenticated. */
  public enum Via {
    API_KEY,
    JWT
  }

  public Principal {
    roles = List.copyOf(roles);
  }
}
