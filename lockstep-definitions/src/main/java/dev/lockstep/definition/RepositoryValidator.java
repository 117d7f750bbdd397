package dev.lockstep.definition;

import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.OnDemandFeatureView;
import dev.lockstep.api.definition.Source;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks that the definitions of a repository fit together: unique names per kind (feature views
 * and on-demand views share one namespace), every named entity, source, column, view, feature and
 * version exists, columns have types their aggregations accept, filters parse and bind to their
 * source's columns, on-demand classes load and implement {@link
 * dev.lockstep.api.definition.OnDemandFunction}, and no feature service has two features with the
 * same output column. Every problem is collected before anything is reported.
 *
 * <p>Definitions built with the Java builders have no file: their problems are located at {@code
 * <java>}. Repositories read from files are checked by {@link RepositoryLoader#load}.
 */
public final class RepositoryValidator {
  private RepositoryValidator() {}

  /**
   * Checks {@code repository}, loading on-demand classes with {@code classLoader}.
   *
   * @throws DefinitionErrors listing every problem, if there is any
   */
  public static void validate(FeatureRepository repository, ClassLoader classLoader) {
    Objects.requireNonNull(classLoader, "classLoader");
    Problems problems = new Problems();
    check(repository, Locator.JAVA, Set.of(), classLoader, problems);
    problems.throwIfAny();
  }

  /**
   * Checks {@code repository} except that on-demand classes are not loaded: for callers that do
   * not run the functions, such as planning a registry change.
   *
   * @throws DefinitionErrors listing every problem, if there is any
   */
  public static void validate(FeatureRepository repository) {
    Problems problems = new Problems();
    check(repository, Locator.JAVA, Set.of(), null, problems);
    problems.throwIfAny();
  }

  /**
   * Adds the problems of {@code repository} to {@code problems}.
   *
   * @param broken definitions that could not be built, already reported (see {@link ParseResult})
   * @param classLoader loads on-demand classes; null to skip that check
   */
  static void check(FeatureRepository repository, Locator locator, Set<String> broken,
      ClassLoader classLoader, Problems problems) {
    CheckContext context = new CheckContext(repository, locator, broken, problems);
    uniqueNames(context);
    repository.sources().forEach(source -> checkSource(context, source));
    repository.featureViews().forEach(view -> ViewChecks.check(context, view));
    ReferenceChecks references = new ReferenceChecks(context);
    repository.onDemandViews().forEach(view -> references.checkOnDemand(view, classLoader));
    repository.featureServices().forEach(references::checkService);
    ContractChecks.check(context);
  }

  private static void uniqueNames(CheckContext context) {
    FeatureRepository repository = context.repository();
    unique(context, repository.entities(), Entity::name, "entity", new HashMap<>());
    unique(context, repository.sources(), Source::name, "source", new HashMap<>());
    Map<String, Object> views = new HashMap<>();
    unique(context, repository.featureViews(), FeatureView::name, "feature view", views);
    unique(context, repository.onDemandViews(), OnDemandFeatureView::name, "on-demand view", views);
    unique(context, repository.featureServices(), FeatureService::name, "feature service",
        new HashMap<>());
  }

  private static <T> void unique(CheckContext context, List<T> definitions,
      Function<T, String> name, String kind, Map<String, Object> seen) {
    for (T definition : definitions) {
      Object first = seen.putIfAbsent(name.apply(definition), definition);
      if (first != null) {
        context.report(definition, null, "Cannot define " + kind + " '" + name.apply(definition)
            + "': the name is taken by the " + kindOf(first) + " at "
            + context.locator().of(first, null) + " (rename one of them)");
      }
    }
  }

  private static String kindOf(Object definition) {
    if (definition instanceof Entity) {
      return "entity";
    }
    if (definition instanceof Source) {
      return "source";
    }
    if (definition instanceof FeatureView) {
      return "feature view";
    }
    if (definition instanceof OnDemandFeatureView) {
      return "on-demand view";
    }
    if (definition instanceof dev.lockstep.api.definition.DataContract) {
      return "contract";
    }
    return "feature service";
  }

  private static void checkSource(CheckContext context, Source source) {
    FeatureRepository repository = context.repository();
    var entity = repository.entity(source.entity());
    if (entity.isEmpty()) {
      if (!context.isBroken("entity", source.entity())) {
        List<String> names = repository.entities().stream().map(Entity::name).toList();
        context.report(source, "entity", "Cannot define source '" + source.name() + "': entity '"
            + source.entity() + "' is not defined" + Suggestions.closest(source.entity(), names)
                .map(match -> " (did you mean '" + match + "'?)")
                .orElse(" (define it under entities)"));
      }
      return;
    }
    List<String> joinKeys = entity.get().joinKeys();
    if (joinKeys.size() != source.keyColumns().size()) {
      context.report(source, "keys", "Cannot define source '" + source.name() + "': entity '"
          + entity.get().name() + "' has " + count(joinKeys.size(), "join key") + " ("
          + String.join(", ", joinKeys) + ") but the source names "
          + count(source.keyColumns().size(), "key column")
          + " (list one column per join key, in the entity's order)");
    }
  }

  static String count(int count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }
}
