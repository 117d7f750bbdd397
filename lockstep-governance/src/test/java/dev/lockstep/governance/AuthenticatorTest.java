package dev.lockstep.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.lockstep.api.client.UnauthenticatedException;
import dev.lockstep.core.config.AuthConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthenticatorTest {
  private static final String SECRET = "a-secret-of-at-least-thirty-two-bytes!!";
  private static final Instant NOW = Instant.parse("2026-12-08T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void anApiKeyIsKnownByItsDigestAlone() {
    String key = Authenticator.newKey();
    assertThat(key).startsWith("lsk_").hasSizeGreaterThan(40);
    assertThat(Authenticator.newKey()).isNotEqualTo(key);
    Authenticator auth = Authenticator.of(new AuthConfig(
        List.of(new AuthConfig.ApiKey("scoring", Authenticator.sha256(key), List.of("reader"))), Optional.empty()), CLOCK);
    assertThat(auth.authenticate(null, key)).isEqualTo(new Principal("scoring", List.of("reader"), Principal.Via.API_KEY));
    assertThatThrownBy(() -> auth.authenticate(null, key + "x")).isInstanceOf(UnauthenticatedException.class)
        .hasMessage("Cannot authenticate: the API key is not one this server knows (check X-API-Key)")
        .message().doesNotContain(key);
    assertThatThrownBy(() -> auth.authenticate(null, null)).hasMessageContaining("carries no credentials");
    assertThatThrownBy(() -> auth.authenticate("Bearer abc", null))
        .hasMessageContaining("takes API keys, not bearer tokens");
    assertThat(Authenticator.sha256("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void hs256TokensAreCheckedForSignatureExpiryIssuerAudienceAndSubject() throws Exception {
    Authenticator auth = Authenticator.of(new AuthConfig(List.of(), Optional.of(new AuthConfig.Jwt(Optional.of(SECRET),
        Optional.empty(), Optional.empty(), Optional.of("https://id.example"), Optional.of("lockstep"), "roles"))), CLOCK);
    JWSSigner signer = new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8));
    String good = token(JWSAlgorithm.HS256, null, signer, claims().build());
    assertThat(auth.authenticate("Bearer " + good, null))
        .isEqualTo(new Principal("ana", List.of("reader", "pusher"), Principal.Via.JWT));
    assertThat(auth.authenticate("bearer " + good, "")).extracting(Principal::name).isEqualTo("ana");
    JWSSigner other = new MACSigner("another-secret-of-thirty-two-bytes-or-more".getBytes(StandardCharsets.UTF_8));
    assertRefused(auth, token(JWSAlgorithm.HS256, null, other, claims().build()), "signature does not verify");
    assertRefused(auth, token(JWSAlgorithm.HS256, null, signer, claims().expirationTime(Date.from(NOW.minusSeconds(31)))
        .build()), "expired at 2026-12-07T23:59:29Z");
    assertThat(auth.authenticate("Bearer " + token(JWSAlgorithm.HS256, null, signer,
        claims().expirationTime(Date.from(NOW.minusSeconds(29))).build()), null)).isNotNull(); // within the skew
    assertRefused(auth, token(JWSAlgorithm.HS256, null, signer, claims().expirationTime(null).build()), "no expiry");
    assertRefused(auth, token(JWSAlgorithm.HS256, null, signer, claims().notBeforeTime(Date.from(NOW.plusSeconds(60)))
        .build()), "not valid before");
    assertRefused(auth, token(JWSAlgorithm.HS256, null, signer, claims().issuer("https://evil").build()),
        "issued by 'https://evil'");
    assertRefused(auth, token(JWSAlgorithm.HS256, null, signer, claims().audience("other").build()),
        "not for audience 'lockstep'");
    assertRefused(auth, token(JWSAlgorithm.HS256, null, signer, claims().subject(null).build()), "names no subject");
    assertRefused(auth, "not.a.jwt", "not a signed JWT");
    assertThat(auth.authenticate("Bearer " + token(JWSAlgorithm.HS256, null, signer,
        claims().claim("roles", "admin reader").build()), null).roles()).containsExactly("admin", "reader");
  }

  @Test
  void rs256TokensVerifyWithAPemKeyOrTheJwksKeyTheirKidNames() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair first = generator.generateKeyPair();
    KeyPair second = generator.generateKeyPair();
    Path pem = dir.resolve("issuer.pem");
    Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(first.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");
    Authenticator byPem = Authenticator.of(jwt(Optional.of(pem), Optional.empty()), CLOCK);
    JWSSigner firstSigner = new RSASSASigner((RSAPrivateKey) first.getPrivate());
    JWSSigner secondSigner = new RSASSASigner((RSAPrivateKey) second.getPrivate());
    assertThat(byPem.authenticate("Bearer " + token(JWSAlgorithm.RS256, null, firstSigner, claims().build()), null)
        .name()).isEqualTo("ana");
    assertRefused(byPem, token(JWSAlgorithm.RS256, null, secondSigner, claims().build()), "does not verify with the configured RS256");

    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(List.of(
        new RSAKey.Builder((RSAPublicKey) first.getPublic()).keyID("k1").build(),
        new RSAKey.Builder((RSAPublicKey) second.getPublic()).keyID("k2").build())).toString());
    Authenticator byJwks = Authenticator.of(jwt(Optional.empty(), Optional.of(jwks)), CLOCK);
    assertThat(byJwks.authenticate("Bearer " + token(JWSAlgorithm.RS256, "k2", secondSigner, claims().build()), null))
        .extracting(Principal::via).isEqualTo(Principal.Via.JWT);
    assertRefused(byJwks, token(JWSAlgorithm.RS256, "k1", secondSigner, claims().build()), "does not verify");
    // an HS256 token signed with the public key's bytes (the classic confusion) is refused
    JWSSigner confused = new MACSigner(first.getPublic().getEncoded());
    assertRefused(byPem, token(JWSAlgorithm.HS256, null, confused, claims().build()), "does not verify");
  }

  private static AuthConfig jwt(Optional<Path> pem, Optional<Path> jwks) {
    return new AuthConfig(List.of(), Optional.of(new AuthConfig.Jwt(Optional.empty(), pem, jwks, Optional.empty(),
        Optional.empty(), "roles")));
  }

  private static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder().subject("ana").issuer("https://id.example").audience("lockstep")
        .expirationTime(Date.from(NOW.plusSeconds(600))).claim("roles", List.of("reader", "pusher"));
  }

  private static String token(JWSAlgorithm algorithm, String keyId, JWSSigner signer, JWTClaimsSet claims)
      throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).keyID(keyId).build(), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  private static void assertRefused(Authenticator auth, String token, String reason) {
    assertThatThrownBy(() -> auth.authenticate("Bearer " + token, null)).isInstanceOf(UnauthenticatedException.class)
        .hasMessageContaining(reason);
  }
}
