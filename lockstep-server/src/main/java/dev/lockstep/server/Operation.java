package dev.lockstep.server;

import java.util.List;
import java.util.Map;

/**
 * What an operations route does (status, breakers, quarantine, lineage): given the path parameters
 * and the query parameters, a JSON-friendly answer (maps, lists, strings, numbers, booleans, null).
 * It may throw what feature endpoints throw; the server turns that into a JSON error.
 */
@FunctionalInterface
interface Operation {
  Object run(List<String> parameters, Map<String, String> query);
}
