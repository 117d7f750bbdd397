package dev.lockstep.api.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every definition of a feature repository: what a directory of YAML files, or the equivalent Java
 * builder calls, declares. Unbound: names are checked for form here and resolved against each other
 * and against source schemas when the repository is validated.
 */
public record FeatureRepository(
    List<Entity> entities,
    List<Source> sources,
    List<FeatureView> featureViews,
    List<OnDemandFeatureView> onDemandViews,
    List<FeatureService> featureServices,
    List<DataContract> contracts) {

  public FeatureRepository {
    contracts = Names.list(contracts);
    entities = Names.list(entities);
    sources = Names.list(sources);
    featureViews = Names.list(featureViews);
    onDemandViews = Names.list(onDemandViews);
    featureServices = Names.list(featureServices);
  }

  /** A repository without data contracts. */
  public FeatureRepository(List<Entity> entities, List<Source> sources, List<FeatureView> featureViews,
      List<OnDemandFeatureView> onDemandViews, List<FeatureService> featureServices) {
    this(entities, sources, featureViews, onDemandViews, featureServices, List.of());
  }

  /** An empty repository. */
  public static FeatureRepository empty() {
    return new FeatureRepository(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
  }

  /** The data contract of source {@code source}, if it has one. */
  public Optional<DataContract> contract(String source) {
    return contracts.stream().filter(contract -> contract.source().equals(source)).findFirst();
  }

  public Optional<Entity> entity(String name) {
    return entities.stream().filter(entity -> entity.name().equals(name)).findFirst();
  }

  public Optional<Source> source(String name) {
    return sources.stream().filter(source -> source.name().equals(name)).findFirst();
  }

  public Optional<FeatureView> featureView(String name) {
    return featureViews.stream().filter(view -> view.name().equals(name)).findFirst();
  }

  public Optional<OnDemandFeatureView> onDemandView(String name) {
    return onDemandViews.stream().filter(view -> view.name().equals(name)).findFirst();
  }

  public Optional<FeatureService> featureService(String name) {
    return featureServices.stream().filter(service -> service.name().equals(name)).findFirst();
  }

  /** A builder collecting definitions in the order added. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link FeatureRepository}; every method returns this builder. */
  public static final class Builder {
    private final List<Entity> entities = new ArrayList<>();
    private final List<Source> sources = new ArrayList<>();
    private final List<FeatureView> featureViews = new ArrayList<>();
    private final List<OnDemandFeatureView> onDemandViews = new ArrayList<>();
    private final List<FeatureService> featureServices = new ArrayList<>();
    private final List<DataContract> contracts = new ArrayList<>();

    private Builder() {}

    public Builder entity(Entity entity) {
      entities.add(entity);
      return this;
    }

    public Builder source(Source source) {
      sources.add(source);
      return this;
    }

    public Builder featureView(FeatureView view) {
      featureViews.add(view);
      return this;
    }

    public Builder onDemandView(OnDemandFeatureView view) {
      onDemandViews.add(view);
      return this;
    }

    public Builder featureService(FeatureService service) {
      featureServices.add(service);
      return this;
    }

    public Builder contract(DataContract contract) {
      contracts.add(contract);
      return this;
    }

    /** The repository; duplicates and dangling names are reported when it is validated. */
    public FeatureRepository build() {
      return new FeatureRepository(
          entities, sources, featureViews, onDemandViews, featureServices, contracts);
    }
  }
}
