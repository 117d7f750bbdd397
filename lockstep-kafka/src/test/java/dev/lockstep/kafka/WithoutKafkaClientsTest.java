package dev.lockstep.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.LockstepException;
import dev.lockstep.spi.BackendFactory;
import dev.lockstep.spi.Backends;
import dev.lockstep.spi.eventlog.EventLog;
import dev.lockstep.spi.feed.FeedReader;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A class path with this module but without kafka-clients (a packaging mistake): every backend
 * lookup goes through all factories, so ours must load anyway and fail only when chosen.
 */
class WithoutKafkaClientsTest {

  @Test
  void theFactoriesLoadAndOnlyCreatingSaysWhatIsMissing() throws Exception {
    URL[] classPath = Stream.of(KafkaEventLogFactory.class, BackendFactory.class,
            LockstepException.class)
        .map(type -> type.getProtectionDomain().getCodeSource().getLocation())
        .distinct().toArray(URL[]::new);
    try (URLClassLoader loader = new URLClassLoader(classPath,
        ClassLoader.getPlatformClassLoader())) {
      @SuppressWarnings("unchecked")
      Class<Object> factoryType = (Class<Object>) loader.loadClass(BackendFactory.class.getName());
      List<Object> names = new ArrayList<>();
      for (Object factory : ServiceLoader.load(factoryType, loader)) {
        names.add(factoryType.getMethod("name").invoke(factory));
      }
      assertThat(names).containsExactly("kafka", "kafka");

      for (Class<?> role : List.of(EventLog.class, FeedReader.class)) {
        Throwable failure = load(loader, role, Map.of("topic", "payments"));
        assertThat(failure.getClass().getName()).isEqualTo("dev.lockstep.spi.BackendException");
        assertThat(failure.getMessage()).isEqualTo("Cannot load the kafka backend: a class of the"
            + " Kafka client is missing (org/apache/kafka/common/KafkaException; put"
            + " org.apache.kafka:kafka-clients on the class path)");
      }
    }
  }

  /** What {@code Backends.load(role, "kafka", properties)} throws in {@code loader}. */
  private static Throwable load(ClassLoader loader, Class<?> role, Map<String, String> properties)
      throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader original = thread.getContextClassLoader();
    thread.setContextClassLoader(loader); // Backends finds factories through it
    try {
      loader.loadClass(Backends.class.getName())
          .getMethod("load", Class.class, String.class, Map.class)
          .invoke(null, loader.loadClass(role.getName()), "kafka", properties);
    } catch (InvocationTargetException e) {
      return e.getCause();
    } finally {
      thread.setContextClassLoader(original);
    }
    throw new AssertionError("expected a failure");
  }
}
