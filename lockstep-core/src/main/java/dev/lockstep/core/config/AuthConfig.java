package dev.lockstep.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code auth} of {@code lockstep.yaml}: who may talk to a server. With it, every route but
 * {@code /health} needs a principal; without it, a server listens on loopback only.
 *
 * <pre>{@code
 * auth:
 *   api_keys:                                  # sent as X-API-Key: <key>
 *     - name: scoring-service
 *       sha256: 3b0c...e1                      # SHA-256 of the key, hex: the key itself is never stored
 *       roles: [reader]
 *   jwt:                                       # sent as Authorization: Bearer <token>
 *     hs256_secret: ${LOCKSTEP_JWT_SECRET}     # at least 32 bytes; or
 *     rs256_public_key: keys/issuer.pem        # an RSA public key (PEM, X.509), or
 *     jwks_file: keys/jwks.json                # a JSON Web Key Set of RSA keys
 *     issuer: https://id.example.com           # optional: the iss every token must carry
 *     audience: lockstep                       # optional: an aud every token must carry
 *     roles_claim: roles                       # the claim listing the principal's roles
 * }</pre>
 *
 * {@code lockstep auth new-key --name NAME} prints a fresh key and its {@code api_keys} entry.
 * Immutable.
 */
public record AuthConfig(List<ApiKey> apiKeys, Optional<Jwt> jwt) {
  static final List<String> KEYS = List.of("api_keys", "jwt");
  static final List<String> API_KEY_KEYS = List.of("name", "sha256", "roles");
  static final List<String> JWT_KEYS = List.of("hs256_secret", "rs256_public_key", "jwks_file", "issuer", "audience",
      "roles_claim");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** An API key: who holds it, the SHA-256 of the key (lower-case hex), the roles it grants. */
  public record ApiKey(String name, String sha256, List<String> roles) {
    public ApiKey {
      roles = List.copyOf(roles);
    }
  }

  /**
   * How bearer tokens are verified: exactly one of an HS256 secret, an RS256 public key file or a
   * JWKS file; optional issuer and audience; the claim holding the roles.
   */
  public record Jwt(Optional<String> hs256Secret, Optional<Path> rs256PublicKey, Optional<Path> jwksFile,
      Optional<String> issuer, Optional<String> audience, String rolesClaim) {
    @Override
    public String toString() { // never print the secret
      return "Jwt[" + (hs256Secret.isPresent() ? "hs256" : rs256PublicKey.isPresent() ? "rs256 " + rs256PublicKey.get()
          : "jwks " + jwksFile.orElse(null)) + ", issuer=" + issuer.orElse("-") + ", audience=" + audience.orElse("-")
          + ", roles_claim=" + rolesClaim + "]";
    }
  }

  public AuthConfig {
    apiKeys = List.copyOf(apiKeys);
  }

  /**
   * The auth of {@code value}, the map under {@code auth} in {@code file}; strings are already
   * expanded ({@code ${NAME}}); paths resolve against {@code repository}.
   */
  static AuthConfig parse(String file, Object value, Path repository, Map<String, String> environment) {
    Map<?, ?> map = map(file, "auth", value, "e.g. auth: {api_keys: [{name: app, sha256: ..., roles: [reader]}]}");
    known(file, "auth", map, KEYS);
    List<ApiKey> keys = new ArrayList<>();
    Object keysValue = map.get("api_keys");
    if (keysValue != null) {
      if (!(keysValue instanceof List<?> list)) {
        throw ConfigValues.error(file, "'auth.api_keys' must be a list", "e.g. api_keys: [{name: app, sha256: ..., roles: [reader]}]");
      }
      Set<String> names = new HashSet<>();
      Set<String> hashes = new HashSet<>();
      for (int i = 0; i < list.size(); i++) {
        String where = "auth.api_keys[" + i + "]";
        Map<?, ?> key = map(file, where, list.get(i), "e.g. {name: app, sha256: ..., roles: [reader]}");
        known(file, where, key, API_KEY_KEYS);
        String name = string(file, environment, where + ".name", key.get("name"), true);
        String sha256 = string(file, environment, where + ".sha256", key.get("sha256"), true).toLowerCase(java.util.Locale.ROOT);
        if (!SHA256.matcher(sha256).matches()) {
          throw ConfigValues.error(file, "'" + where + ".sha256' is not a SHA-256 in hex (64 characters)",
              "print one with: lockstep auth new-key --name " + name);
        }
        if (!names.add(name) || !hashes.add(sha256)) {
          throw ConfigValues.error(file, "'" + where + "' repeats a name or a key of an earlier entry", "give each key its own entry");
        }
        keys.add(new ApiKey(name, sha256, roles(file, where + ".roles", key.get("roles"))));
      }
    }
    Optional<Jwt> jwt = Optional.empty();
    Object jwtValue = map.get("jwt");
    if (jwtValue != null) {
      Map<?, ?> jwtMap = map(file, "auth.jwt", jwtValue, "e.g. jwt: {hs256_secret: ${LOCKSTEP_JWT_SECRET}}");
      known(file, "auth.jwt", jwtMap, JWT_KEYS);
      Optional<String> secret = Optional.ofNullable(string(file, environment, "auth.jwt.hs256_secret", jwtMap.get("hs256_secret"), false));
      Optional<Path> publicKey = Optional.ofNullable(string(file, environment, "auth.jwt.rs256_public_key", jwtMap.get("rs256_public_key"), false))
          .map(repository::resolve);
      Optional<Path> jwks = Optional.ofNullable(string(file, environment, "auth.jwt.jwks_file", jwtMap.get("jwks_file"), false))
          .map(repository::resolve);
      int given = (secret.isPresent() ? 1 : 0) + (publicKey.isPresent() ? 1 : 0) + (jwks.isPresent() ? 1 : 0);
      if (given != 1) {
        throw ConfigValues.error(file, "'auth.jwt' needs exactly one of hs256_secret, rs256_public_key and jwks_file",
            "e.g. hs256_secret: ${LOCKSTEP_JWT_SECRET}");
      }
      if (secret.isPresent() && secret.get().getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
        throw ConfigValues.error(file, "'auth.jwt.hs256_secret' is shorter than 32 bytes, too short for HS256",
            "use a random secret of at least 32 bytes");
      }
      String claim = Optional.ofNullable(string(file, environment, "auth.jwt.roles_claim", jwtMap.get("roles_claim"), false)).orElse("roles");
      jwt = Optional.of(new Jwt(secret, publicKey, jwks,
          Optional.ofNullable(string(file, environment, "auth.jwt.issuer", jwtMap.get("issuer"), false)),
          Optional.ofNullable(string(file, environment, "auth.jwt.audience", jwtMap.get("audience"), false)), claim));
    }
    if (keys.isEmpty() && jwt.isEmpty()) {
      throw ConfigValues.error(file, "'auth' names no api_keys and no jwt", "add one, or remove 'auth' to serve on loopback only");
    }
    return new AuthConfig(keys, jwt);
  }

  private static Map<?, ?> map(String file, String where, Object value, String hint) {
    if (!(value instanceof Map<?, ?> map)) {
      throw ConfigValues.error(file, "'" + where + "' must be a map", hint);
    }
    return map;
  }

  private static void known(String file, String where, Map<?, ?> map, List<String> keys) {
    for (Object key : map.keySet()) {
      if (!keys.contains(String.valueOf(key))) {
        throw ConfigValues.error(file, "'" + where + "." + key + "' is not a setting", "use " + String.join(", ", keys));
      }
    }
  }

  private static String string(String file, Map<String, String> environment, String where, Object value,
      boolean required) {
    if (value == null) {
      if (required) {
        throw ConfigValues.error(file, "'" + where + "' is missing", "add it");
      }
      return null;
    }
    if (!(value instanceof String text) || text.isBlank()) {
      throw ConfigValues.error(file, "'" + where + "' must be a non-empty string", "quote it");
    }
    return ProjectConfig.substitute(file, where, text, environment);
  }

  private static List<String> roles(String file, String where, Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list) || list.stream().anyMatch(role -> !(role instanceof String))) {
      throw ConfigValues.error(file, "'" + where + "' must be a list of role names", "e.g. roles: [reader]");
    }
    return list.stream().map(String.class::cast).toList();
  }

}
