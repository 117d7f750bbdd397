package dev.lockstep.definition;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The locations of the definitions read from files, keyed by the identity of the definition
 * objects, so that two equal definitions (say, a duplicate) keep their own locations.
 */
final class LocationIndex implements Locator {
  private final Map<Object, Location> definitions = new IdentityHashMap<>();
  private final Map<Object, Map<String, Location>> fields = new IdentityHashMap<>();

  /** Records where {@code definition} and its fields were written. */
  void put(Object definition, Location location, Map<String, Location> fieldLocations) {
    definitions.put(definition, location);
    fields.put(definition, new HashMap<>(fieldLocations));
  }

  @Override
  public Location of(Object definition, String field) {
    if (field != null) {
      Location location = fields.getOrDefault(definition, Map.of()).get(field);
      if (location != null) {
        return location;
      }
    }
    return definitions.getOrDefault(definition, Location.JAVA);
  }
}
