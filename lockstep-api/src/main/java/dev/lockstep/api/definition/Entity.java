package dev.lockstep.api.definition;

import dev.lockstep.api.InvalidDefinitionException;
import java.util.List;

/**
 * A thing features describe (a card, a user, a merchant), identified by one or more join keys.
 * Sources name the columns that hold the keys; spines and online requests give their values.
 *
 * @param name unique among entities
 * @param joinKeys the key names, in order; a spine must have a column of each name
 * @param description free text, may be empty
 */
public record Entity(String name, List<String> joinKeys, String description) {

  /** @throws InvalidDefinitionException if a name is malformed or there is no join key */
  public Entity {
    Names.identifier("entity", name);
    joinKeys = Names.list(joinKeys);
    if (joinKeys.isEmpty()) {
      throw new InvalidDefinitionException(
          "Cannot define entity '" + name + "': it has no join key (add join_keys: [id])");
    }
    joinKeys.forEach(key -> Names.column("join key of entity " + name, key));
    description = description == null ? "" : description;
  }

  /** An entity with these join keys and no description. */
  public static Entity of(String name, String... joinKeys) {
    return new Entity(name, List.of(joinKeys), "");
  }
}
