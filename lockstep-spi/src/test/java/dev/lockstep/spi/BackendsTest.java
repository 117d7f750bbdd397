package dev.lockstep.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.spi.eventlog.EventLog;
import dev.lockstep.spi.fake.Gadget;
import dev.lockstep.spi.fake.MemoryEventLog;
import dev.lockstep.spi.fake.MemoryModelStore;
import dev.lockstep.spi.fake.MemoryOfflineStore;
import dev.lockstep.spi.fake.MemoryOnlineStore;
import dev.lockstep.spi.fake.MemoryRegistryStore;
import dev.lockstep.spi.fake.MemoryVectorIndex;
import dev.lockstep.spi.fake.PlainOnlineStore;
import dev.lockstep.spi.model.ModelStore;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.spi.online.OnlineStore;
import dev.lockstep.spi.registry.RegistryStore;
import dev.lockstep.spi.vector.VectorIndex;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendsTest {

  @Test
  void loadsABackendOfEveryRoleByNameThroughServiceLoader() {
    assertThat(Backends.load(EventLog.class, "memory", Map.of()))
        .isInstanceOf(MemoryEventLog.class);
    assertThat(Backends.load(OnlineStore.class, "memory", Map.of()))
        .isInstanceOf(MemoryOnlineStore.class);
    assertThat(Backends.load(OnlineStore.class, "plain", Map.of()))
        .isExactlyInstanceOf(PlainOnlineStore.class);
    assertThat(Backends.load(OfflineStore.class, "memory", Map.of()))
        .isInstanceOf(MemoryOfflineStore.class);
    assertThat(Backends.load(RegistryStore.class, "memory", Map.of()))
        .isInstanceOf(MemoryRegistryStore.class);
    assertThat(Backends.load(VectorIndex.class, "memory", Map.of("dimension", "3")))
        .isInstanceOf(MemoryVectorIndex.class);
    assertThat(Backends.load(ModelStore.class, "memory", Map.of()))
        .isInstanceOf(MemoryModelStore.class);
  }

  @Test
  void matchesNamesIgnoringCase() {
    assertThat(Backends.load(OnlineStore.class, "Plain", Map.of()).name()).isEqualTo("plain");
  }

  @Test
  void passesThePropertiesToTheFactory() {
    MemoryOnlineStore store =
        (MemoryOnlineStore)
            Backends.load(
                OnlineStore.class, "memory", Map.of("max-views", "4", "flush-interval", "250ms"));

    assertThat(store.maxViews()).isEqualTo(4);
    assertThat(store.flushInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(store.config().backend()).isEqualTo("memory");
  }

  @Test
  void pinsTheFakeStoreDefaults() {
    MemoryOnlineStore store =
        (MemoryOnlineStore) Backends.load(OnlineStore.class, "memory", Map.of());

    assertThat(store.maxViews()).isEqualTo(MemoryOnlineStore.MAX_VIEWS_DEFAULT).isEqualTo(16);
    assertThat(store.flushInterval())
        .isEqualTo(MemoryOnlineStore.FLUSH_INTERVAL_DEFAULT)
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void listsTheAvailableNamesOfOneRoleSorted() {
    assertThat(Backends.available(OnlineStore.class)).containsExactly("memory", "plain");
    assertThat(Backends.available(EventLog.class)).containsExactly("memory");
    assertThat(Backends.available(Gadget.Unregistered.class)).isEmpty();
  }

  @Test
  void rejectsAnUnknownNameListingTheAvailableOnes() {
    assertThatThrownBy(() -> Backends.load(OnlineStore.class, "foo", Map.of()))
        .isExactlyInstanceOf(BackendConfigException.class)
        .hasMessage(
            "Cannot load online store 'foo': no backend of that name (available: memory, plain)");
  }

  @Test
  void rejectsANameOfAnotherRole() {
    assertThatThrownBy(() -> Backends.load(RegistryStore.class, "plain", Map.of()))
        .isExactlyInstanceOf(BackendConfigException.class)
        .hasMessage(
            "Cannot load registry store 'plain': no backend of that name (available: memory)");
  }

  @Test
  void saysNoneIsAvailableForARoleWithoutBackends() {
    assertThatThrownBy(() -> Backends.load(Gadget.Unregistered.class, "x", Map.of()))
        .isExactlyInstanceOf(BackendConfigException.class)
        .hasMessage("Cannot load unregistered 'x': no backend of that name (available: none)");
  }

  @Test
  void rejectsANameThatTwoFactoriesShare() {
    assertThatThrownBy(() -> Backends.load(Gadget.class, "twin", Map.of()))
        .isExactlyInstanceOf(BackendConfigException.class)
        .hasMessage(
            "Cannot load gadget 'twin': several backends have that name "
                + "([dev.lockstep.spi.fake.GadgetFactories$TwinOne, "
                + "dev.lockstep.spi.fake.GadgetFactories$TwinTwo])");
  }

  @Test
  void passesAFactorysOwnConfigErrorThrough() {
    assertThatThrownBy(() -> Backends.load(Gadget.class, "strict", Map.of()))
        .isExactlyInstanceOf(BackendConfigException.class)
        .hasMessage(
            "Cannot configure backend 'strict': property 'endpoint' is required but not set "
                + "(set it in the strict properties)");
  }

  @Test
  void wrapsAnUnexpectedFactoryFailureOnOneLineWithSecretsMasked() {
    assertThatThrownBy(() -> Backends.load(Gadget.class, "broken", Map.of("password", "hunter22")))
        .isExactlyInstanceOf(BackendException.class)
        .hasMessage(
            "Cannot load gadget 'broken': java.lang.IllegalStateException: "
                + "login refused for password **** retry later")
        .cause()
        .hasMessageNotContaining("hunter22")
        .hasMessageContaining("login refused for password ****");
  }

  @Test
  void keepsTheOriginalCauseWhenItHoldsNoSecret() {
    assertThatThrownBy(() -> Backends.load(Gadget.class, "broken", Map.of()))
        .isExactlyInstanceOf(BackendException.class)
        .cause()
        .isExactlyInstanceOf(IllegalStateException.class);
  }

  @Test
  void rejectsAFactoryThatCreatesNothing() {
    assertThatThrownBy(() -> Backends.load(Gadget.class, "nothing", Map.of()))
        .isExactlyInstanceOf(BackendException.class)
        .hasMessage(
            "Cannot load gadget 'nothing': dev.lockstep.spi.fake.GadgetFactories$Nothing created "
                + "null, which does not implement dev.lockstep.spi.fake.Gadget "
                + "(fix the backend's factory)");
  }

  @Test
  void rejectsAFactoryThatCreatesABackendOfAnotherRole() {
    assertThatThrownBy(() -> Backends.load(Gadget.class, "impostor", Map.of()))
        .isExactlyInstanceOf(BackendException.class)
        .hasMessage(
            "Cannot load gadget 'impostor': dev.lockstep.spi.fake.GadgetFactories$Impostor created "
                + "a dev.lockstep.spi.fake.PlainOnlineStore, which does not implement "
                + "dev.lockstep.spi.fake.Gadget (fix the backend's factory)");
  }

  @Test
  void masksTheKeysAFactoryDeclaresSecret() {
    Gadget gadget = Backends.load(Gadget.class, "echo", Map.of("api-key", "k-123", "region", "eu"));

    assertThat(gadget.config().isSecret("api-key")).isTrue();
    assertThat(gadget.config().toString())
        .isEqualTo("BackendConfig{backend=echo, properties={api-key=****, region=eu}}");
  }

  @Test
  void configuresTheBackendUnderItsFactorysName() {
    Gadget gadget = Backends.load(Gadget.class, "ECHO", Map.of());

    assertThat(gadget.config().backend()).isEqualTo("echo");
  }

  @Test
  void namesRolesInWords() {
    assertThat(Backends.roleName(OnlineStore.class)).isEqualTo("online store");
    assertThat(Backends.roleName(EventLog.class)).isEqualTo("event log");
    assertThat(Backends.roleName(VectorIndex.class)).isEqualTo("vector index");
  }
}
