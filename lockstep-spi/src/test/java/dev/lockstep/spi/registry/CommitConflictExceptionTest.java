package dev.lockstep.spi.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.spi.fake.MemoryRegistryStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CommitConflictExceptionTest {
  private static final Instant AT = Instant.parse("2024-05-01T10:00:00Z");

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void saysWhichVersionWonAndWhenAndToPlanAgain() {
    CommitConflictException e =
        new CommitConflictException(3, new RegistryVersion(4, AT, utf8("theirs")));

    assertThat(e)
        .hasMessage(
            "Cannot commit registry change planned against version 3: version 4 was committed at "
                + "2024-05-01T10:00:00Z by another writer (re-run plan, then apply)");
    assertThat(e.expectedVersion()).isEqualTo(3);
    assertThat(e.currentVersion()).isEqualTo(4);
  }

  @Test
  void saysWhenTheRegistryIsEmpty() {
    CommitConflictException e = new CommitConflictException(2, null);

    assertThat(e)
        .hasMessage(
            "Cannot commit registry change planned against version 2: the registry is empty "
                + "(re-run plan, then apply)");
    assertThat(e.currentVersion()).isZero();
  }

  @Test
  void isWhatALosingCommitThrows() {
    RegistryStore store = new MemoryRegistryStore(Clock.fixed(AT, ZoneOffset.UTC));
    RegistryVersion first = store.commit(0, utf8("v1"));
    store.commit(1, utf8("v2 by alice"));

    assertThat(first.version()).isEqualTo(1);
    assertThatThrownBy(() -> store.commit(1, utf8("v2 by bob")))
        .isExactlyInstanceOf(CommitConflictException.class)
        .hasMessage(
            "Cannot commit registry change planned against version 1: version 2 was committed at "
                + "2024-05-01T10:00:00Z by another writer (re-run plan, then apply)");
    assertThat(store.current()).contains(new RegistryVersion(2, AT, utf8("v2 by alice")));
  }
}
