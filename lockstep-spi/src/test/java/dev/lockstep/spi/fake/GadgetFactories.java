package dev.lockstep.spi.fake;

import dev.lockstep.spi.BackendConfig;
import dev.lockstep.spi.BackendFactory;
import java.util.Set;

/** Factories of {@link Gadget}, each registered in META-INF/services. */
public final class GadgetFactories {
  private GadgetFactories() {}

  record SimpleGadget(String name, BackendConfig config) implements Gadget {
    @Override
    public void close() {}
  }

  abstract static class Base implements BackendFactory<Gadget> {
    @Override
    public Class<Gadget> role() {
      return Gadget.class;
    }
  }

  /** Returns a gadget holding its config; declares {@code api-key} secret. */
  public static final class Echo extends Base {
    @Override
    public String name() {
      return "echo";
    }

    @Override
    public Set<String> secretKeys() {
      return Set.of("api-key");
    }

    @Override
    public Gadget create(BackendConfig config) {
      return new SimpleGadget(name(), config);
    }
  }

  /** Shares its name with {@link TwinTwo}. */
  public static final class TwinOne extends Base {
    @Override
    public String name() {
      return "twin";
    }

    @Override
    public Gadget create(BackendConfig config) {
      return new SimpleGadget(name(), config);
    }
  }

  /** Shares its name with {@link TwinOne}. */
  public static final class TwinTwo extends Base {
    @Override
    public String name() {
      return "twin";
    }

    @Override
    public Gadget create(BackendConfig config) {
      return new SimpleGadget(name(), config);
    }
  }

  /** Fails with a client error whose message leaks the password, over two lines. */
  public static final class Broken extends Base {
    @Override
    public String name() {
      return "broken";
    }

    @Override
    public Gadget create(BackendConfig config) {
      throw new IllegalStateException(
          "login refused for password " + config.string("password", "") + "\nretry later");
    }
  }

  /** Requires {@code endpoint}. */
  public static final class Strict extends Base {
    @Override
    public String name() {
      return "strict";
    }

    @Override
    public Gadget create(BackendConfig config) {
      return new SimpleGadget(config.required("endpoint"), config);
    }
  }

  /** Returns null. */
  public static final class Nothing extends Base {
    @Override
    public String name() {
      return "nothing";
    }

    @Override
    public Gadget create(BackendConfig config) {
      return null;
    }
  }

  /** Claims the gadget role but creates an online store, as a raw factory could. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static final class Impostor implements BackendFactory {
    @Override
    public String name() {
      return "impostor";
    }

    @Override
    public Class role() {
      return Gadget.class;
    }

    @Override
    public PlainOnlineStore create(BackendConfig config) {
      return new PlainOnlineStore();
    }
  }
}
