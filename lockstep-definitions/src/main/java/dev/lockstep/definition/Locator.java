package dev.lockstep.definition;

/** Finds where a definition, or one of its fields, was written. */
interface Locator {

  /** Every definition built in Java is at {@link Location#JAVA}. */
  Locator JAVA = (definition, field) -> Location.JAVA;

  /**
   * The location of {@code field} of {@code definition} (a definition object of the repository),
   * falling back to the definition's own location, then to {@link Location#JAVA}.
   *
   * @param field a key such as {@code window}, {@code columns.amount} or {@code features[2]}; null
   *     for the definition itself
   */
  Location of(Object definition, String field);
}
