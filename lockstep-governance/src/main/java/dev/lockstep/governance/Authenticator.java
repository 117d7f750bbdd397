package dev.lockstep.governance;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.lockstep.api.client.UnauthenticatedException;
import dev.lockstep.core.config.AuthConfig;
import dev.lockstep.spi.BackendConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who is asking: turns the credentials of a request into a {@link Principal}, or refuses them.
 *
 * <p><b>API keys</b> arrive as {@code X-API-Key: <key>}; the configuration holds only their SHA-256,
 * and a key is found by its digest. <b>Bearer tokens</b> ({@code Authorization: Bearer <jwt>}) must be
 * signed with the configured HS256 secret or RS256 key (a JWKS file may hold several, chosen by
 * {@code kid}), unexpired ({@code exp} is required, 30 s of clock skew allowed), not before {@code
 * nbf}, and carry the configured issuer and audience; the principal is the {@code sub} claim and its
 * roles the configured roles claim.
 *
 * <p>Thread-safe and immutable once built.
 */
public final class Authenticator {
  /** The header an API key travels in. */
  public static final String API_KEY_HEADER = "X-API-Key";
  /** How far a token's {@code exp} and {@code nbf} may be off this server's clock. */
  static final long SKEW_MILLIS = 30_000;

  private final Map<String, AuthConfig.ApiKey> keysByHash = new LinkedHashMap<>();
  private final Optional<AuthConfig.Jwt> jwt;
  private final List<Verifier> verifiers;
  private final Clock clock;

  private record Verifier(Optional<String> keyId, JWSAlgorithm algorithm, JWSVerifier verifier) {}

  private Authenticator(AuthConfig config, Clock clock) {
    config.apiKeys().forEach(key -> keysByHash.put(key.sha256(), key));
    this.jwt = config.jwt();
    this.verifiers = jwt.map(Authenticator::verifiers).orElse(List.of());
    this.clock = clock;
  }

  /**
   * The authenticator of {@code config}.
   *
   * @throws BackendConfigException if a key file cannot be read or holds no usable key
   */
  public static Authenticator of(AuthConfig config) {
    return of(config, Clock.systemUTC());
  }

  static Authenticator of(AuthConfig config, Clock clock) {
    return new Authenticator(config, clock);
  }

  /**
   * The principal of a request's credentials.
   *
   * @param authorization the {@code Authorization} header, or null
   * @param apiKey the {@code X-API-Key} header, or null
   * @throws UnauthenticatedException naming what is missing or wrong, never echoing a secret
   */
  public Principal authenticate(String authorization, String apiKey) {
    if (apiKey != null && !apiKey.isEmpty()) {
      // looked up by the key's SHA-256: what is compared is a digest, never the secret itself
      AuthConfig.ApiKey key = keysByHash.get(sha256(apiKey));
      if (key == null) {
        throw new UnauthenticatedException("Cannot authenticate: the API key is not one this server knows"
            + " (check " + API_KEY_HEADER + ")");
      }
      return new Principal(key.name(), key.roles(), Principal.Via.API_KEY);
    }
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return token(authorization.substring(7).trim());
    }
    throw new UnauthenticatedException("Cannot authenticate: the request carries no credentials (send "
        + API_KEY_HEADER + ": <key>" + (jwt.isPresent() ? ", or Authorization: Bearer <token>" : "") + ")");
  }

  private Principal token(String token) {
    if (jwt.isEmpty()) {
      throw new UnauthenticatedException("Cannot authenticate: this server takes API keys, not bearer tokens (send "
          + API_KEY_HEADER + ": <key>)");
    }
    SignedJWT signed;
    JWTClaimsSet claims;
    try {
      signed = SignedJWT.parse(token);
      claims = signed.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new UnauthenticatedException("Cannot authenticate: the bearer token is not a signed JWT");
    }
    JWSAlgorithm algorithm = signed.getHeader().getAlgorithm();
    String keyId = signed.getHeader().getKeyID();
    boolean verified = false;
    for (Verifier verifier : verifiers) {
      if (!verifier.algorithm().equals(algorithm) || (keyId != null && verifier.keyId().isPresent()
          && !verifier.keyId().get().equals(keyId))) {
        continue;
      }
      try {
        if (signed.verify(verifier.verifier())) {
          verified = true;
          break;
        }
      } catch (JOSEException e) {
        // a key of the wrong size for this token: try the next
      }
    }
    if (!verified) {
      throw new UnauthenticatedException("Cannot authenticate: the bearer token's signature does not verify with"
          + " the configured " + algorithmsNamed() + " key");
    }
    long now = clock.millis();
    if (claims.getExpirationTime() == null) {
      throw new UnauthenticatedException("Cannot authenticate: the bearer token has no expiry (exp)");
    }
    if (claims.getExpirationTime().getTime() + SKEW_MILLIS <= now) {
      throw new UnauthenticatedException("Cannot authenticate: the bearer token expired at "
          + claims.getExpirationTime().toInstant());
    }
    if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().getTime() - SKEW_MILLIS > now) {
      throw new UnauthenticatedException("Cannot authenticate: the bearer token is not valid before "
          + claims.getNotBeforeTime().toInstant());
    }
    AuthConfig.Jwt settings = jwt.get();
    if (settings.issuer().isPresent() && !settings.issuer().get().equals(claims.getIssuer())) {
      throw new UnauthenticatedException("Cannot authenticate: the bearer token was issued by '" + claims.getIssuer()
          + "', not '" + settings.issuer().get() + "'");
    }
    if (settings.audience().isPresent() && (claims.getAudience() == null
        || !claims.getAudience().contains(settings.audience().get()))) {
      throw new UnauthenticatedException("Cannot authenticate: the bearer token is not for audience '"
          + settings.audience().get() + "'");
    }
    if (claims.getSubject() == null || claims.getSubject().isBlank()) {
      throw new UnauthenticatedException("Cannot authenticate: the bearer token names no subject (sub)");
    }
    return new Principal(claims.getSubject(), roles(claims, settings.rolesClaim()), Principal.Via.JWT);
  }

  private static List<String> roles(JWTClaimsSet claims, String claim) {
    Object value = claims.getClaim(claim);
    if (value == null) {
      return List.of();
    }
    if (value instanceof String single) {
      return List.of(single.split("[ ,]+"));
    }
    if (value instanceof Collection<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    throw new UnauthenticatedException("Cannot authenticate: the bearer token's '" + claim
        + "' claim is neither a list nor a string of roles");
  }

  private String algorithmsNamed() {
    return verifiers.stream().map(verifier -> verifier.algorithm().getName()).distinct().reduce((a, b) -> a + "/" + b)
        .orElse("");
  }

  private static List<Verifier> verifiers(AuthConfig.Jwt jwt) {
    List<Verifier> verifiers = new ArrayList<>();
    try {
      if (jwt.hs256Secret().isPresent()) {
        verifiers.add(new Verifier(Optional.empty(), JWSAlgorithm.HS256,
            new MACVerifier(jwt.hs256Secret().get().getBytes(StandardCharsets.UTF_8))));
      } else if (jwt.rs256PublicKey().isPresent()) {
        verifiers.add(new Verifier(Optional.empty(), JWSAlgorithm.RS256,
            new RSASSAVerifier(pemPublicKey(Files.readString(jwt.rs256PublicKey().get())))));
      } else {
        for (JWK key : JWKSet.parse(Files.readString(jwt.jwksFile().orElseThrow())).getKeys()) {
          if (key instanceof RSAKey rsa) {
            verifiers.add(new Verifier(Optional.ofNullable(rsa.getKeyID()), JWSAlgorithm.RS256,
                new RSASSAVerifier(rsa.toRSAPublicKey())));
          }
        }
        if (verifiers.isEmpty()) {
          throw new BackendConfigException("Cannot use auth.jwt.jwks_file " + jwt.jwksFile().get()
              + ": it holds no RSA key (add the issuer's RSA public keys)");
        }
      }
    } catch (IOException e) {
      throw new BackendConfigException("Cannot read the key file of auth.jwt: " + e.getMessage()
          + " (check the path in lockstep.yaml)");
    } catch (JOSEException | ParseException | java.security.GeneralSecurityException | IllegalArgumentException e) {
      throw new BackendConfigException("Cannot use the key of auth.jwt: " + e.getMessage()
          + " (give a PEM public key, -----BEGIN PUBLIC KEY-----, or a JWKS of RSA keys)");
    }
    return verifiers;
  }

  private static RSAPublicKey pemPublicKey(String pem) throws java.security.GeneralSecurityException {
    String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
    return (RSAPublicKey) KeyFactory.getInstance("RSA")
        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  /** The SHA-256 of {@code key} in lower-case hex: what {@code auth.api_keys[].sha256} holds. */
  public static String sha256(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** A new random API key: 32 bytes from {@link SecureRandom}, URL-safe Base64, prefixed {@code lsk_}. */
  public static String newKey() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return "lsk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
