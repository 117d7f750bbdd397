package dev.lockstep.redis;

import static dev.lockstep.redis.RawRedis.bytes;
import static dev.lockstep.redis.RawRedis.redis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.lockstep.spi.BackendConfig;
import dev.lockstep.spi.BackendConfigException;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.Backends;
import dev.lockstep.spi.EntityKey;
import dev.lockstep.spi.online.Entry;
import dev.lockstep.spi.online.OnlineStore;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Passwords, given as the {@code password} property or inside the {@code uri}, never show in an
 * exception (message, causes, stack trace text) or a {@code toString}. One test logs in for real,
 * as a Redis ACL user it creates and deletes.
 */
class RedisSecretsTest {
  private static final String SECRET = "s3cret-Pa55word";

  private final String namespace = RawRedis.newNamespace();

  @AfterEach
  void deleteNamespace() {
    RawRedis.deleteNamespace(namespace);
  }

  @Test
  void aWrongPasswordIsNeverShown() {
    String user = createUser();
    try {
      String wrong = "wr0ng-" + SECRET;
      Throwable inProperty =
          loadFailure(Map.of("uri", "redis://" + user + ":x@127.0.0.1:6379", "password", wrong));
      Throwable inUri = loadFailure(Map.of("uri", "redis://" + user + ":" + wrong + "@127.0.0.1"));

      for (Throwable thrown : List.of(inProperty, inUri)) {
        assertThat(thrown)
            .isInstanceOf(BackendException.class)
            .hasMessageStartingWith(
                "Cannot open Redis online store at redis://127.0.0.1:6379/0, namespace '"
                    + namespace
                    + "': ")
            .hasMessageContaining("WRONGPASS")
            .hasMessageEndingWith(
                " (check the password: the 'password' property, or the one in the 'uri')");
        assertNoSecret(thrown, wrong);
      }
    } finally {
      redis().aclDeluser(user);
    }
  }

  /** Redis's default user takes any password when it has none: the store opens, and hides it. */
  @Test
  void aPasswordTheServerDoesNotNeedIsNeverShownEither() {
    try (OnlineStore store = load(Map.of("password", SECRET))) {
      store.write("payments", List.of(entry("u1", "one")));
      assertThat(store.toString()).doesNotContain(SECRET);
      store.close();
      Throwable closed = catchThrowable(() -> store.read("payments", List.of(EntityKey.of("u1"))));
      assertThat(closed).isInstanceOf(IllegalStateException.class);
      assertNoSecret(closed, SECRET);
    }
  }

  @Test
  void aPasswordInTheUriOfAnUnreachableServerIsNeverShown() {
    Throwable thrown = loadFailure(Map.of("uri", "redis://:" + SECRET + "@127.0.0.1:1"));

    assertThat(thrown)
        .isInstanceOf(BackendException.class)
        .hasMessageStartingWith(
            "Cannot open Redis online store at redis://127.0.0.1:1/0, namespace '"
                + namespace
                + "': ")
        .hasMessageEndingWith(
            " (check that Redis runs there and accepts connections, and the 'uri' property)");
    assertNoSecret(thrown, SECRET);
  }

  @Test
  void aWrongUserAndPasswordInTheUriAreNeverShown() {
    String encoded = "p%40ss%3Aw0rd-" + SECRET; // "p@ss:w0rd-...", URL-encoded in the uri
    Throwable thrown =
        loadFailure(Map.of("uri", "redis://someone:" + encoded + "@127.0.0.1:6379/0"));

    assertThat(thrown).isInstanceOf(BackendException.class);
    assertNoSecret(thrown, encoded);
    assertNoSecret(thrown, "p@ss:w0rd-" + SECRET);
  }

  @Test
  void aMalformedUriIsNotRepeated() {
    Throwable wrongScheme = loadFailure(Map.of("uri", "http://:" + SECRET + "@127.0.0.1:6379"));
    Throwable illegal = loadFailure(Map.of("uri", "redis:// :" + SECRET + "@127.0.0.1:6379"));
    Throwable unknownHost = loadFailure(Map.of("uri", "redis://:" + SECRET + "@127.0.0.1:port"));

    assertThat(wrongScheme)
        .isInstanceOf(BackendConfigException.class)
        .hasMessage(
            "Cannot configure backend 'redis': property 'uri' is not a Redis URI: Scheme http not"
                + " supported (write redis://host:port, rediss://host:port for TLS, or"
                + " redis-sentinel://host:port#primary-name)");
    assertThat(illegal)
        .isInstanceOf(BackendConfigException.class)
        .hasMessageStartingWith(
            "Cannot configure backend 'redis': property 'uri' is not a Redis URI (write");
    // Lettuce takes "127.0.0.1:port" for a host name
    assertThat(unknownHost).isInstanceOf(BackendException.class);
    for (Throwable thrown : List.of(wrongScheme, illegal, unknownHost)) {
      assertNoSecret(thrown, SECRET);
    }
  }

  @Test
  void theConfigurationMasksTheUriAndThePassword() {
    Map<String, String> properties =
        Map.of("uri", "redis://:" + SECRET + "@127.0.0.1:6379", "password", SECRET + "2");
    BackendConfig config =
        BackendConfig.of("redis", properties)
            .withSecretKeys(new RedisOnlineStoreFactory().secretKeys());

    assertThat(config)
        .hasToString("BackendConfig{backend=redis, properties={password=****, uri=****}}");
  }

  /**
   * A real login with a user and password in the uri, and with the password property replacing a
   * wrong one in the uri: the store works, and neither its {@code toString} nor its errors show the
   * password.
   */
  @Test
  void aStoreThatLoggedInNeverShowsItsPassword() {
    String user = createUser();
    try {
      String uri = "redis://" + user + ":" + SECRET + "@127.0.0.1:6379";
      try (OnlineStore store = load(Map.of("uri", uri))) {
        store.write("payments", List.of(entry("u1", "one")));
        assertThat(store.read("payments", List.of(EntityKey.of("u1")))).hasSize(1);
        assertThat(store.toString()).doesNotContain(SECRET).doesNotContain("*");
        // DEL is not granted: a failure whose message must not show the password either.
        Throwable thrown = catchThrowable(() -> store.delete("payments", EntityKey.of("u1")));
        assertThat(thrown).isInstanceOf(BackendException.class).hasMessageContaining("NOPERM");
        assertNoSecret(thrown, SECRET);
      }
      String wrongInUri = "redis://" + user + ":wrong@127.0.0.1:6379";
      try (OnlineStore store = load(Map.of("uri", wrongInUri, "password", SECRET))) {
        assertThat(store.read("payments", List.of(EntityKey.of("u1"))).get(0))
            .isEqualTo(bytes("one"));
        assertThat(store.toString()).doesNotContain(SECRET);
      }
    } finally {
      redis().aclDeluser(user);
    }
  }

  /** A Redis user with password {@link #SECRET}, allowed every command but DEL on the namespace. */
  private String createUser() {
    String user = "lockstep-test-" + namespace.substring(namespace.length() - 8);
    redis()
        .aclSetuser(
            user,
            AclSetuserArgs.Builder.on()
                .addPassword(SECRET)
                .keyPattern(namespace + ":*")
                .allCommands()
                .removeCommand(CommandType.DEL));
    return user;
  }

  private Throwable loadFailure(Map<String, String> properties) {
    Throwable thrown = catchThrowable(() -> load(properties).close());
    assertThat(thrown).isNotNull();
    return thrown;
  }

  private OnlineStore load(Map<String, String> properties) {
    Map<String, String> all = new HashMap<>(properties);
    all.put("namespace", namespace);
    all.put("timeout", "1s");
    return Backends.load(OnlineStore.class, "redis", all);
  }

  private static Entry entry(String key, String value) {
    return new Entry(EntityKey.of(key), value.getBytes(StandardCharsets.UTF_8));
  }

  /** Not in the message, the string form, any cause, or the printed stack trace. */
  private static void assertNoSecret(Throwable thrown, String secret) {
    StringWriter trace = new StringWriter();
    thrown.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString()).doesNotContain(secret);
    for (Throwable link = thrown; link != null; link = link.getCause()) {
      assertThat(String.valueOf(link.getMessage())).doesNotContain(secret);
      assertThat(link.toString()).doesNotContain(secret);
    }
  }
}
