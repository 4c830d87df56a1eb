package io.github.edgestream.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A credential is checked when configured (secrets of at least 16 printable characters, key pairs complete, some
 * secret and some scope) and never shows its token or secret; a credential store refuses duplicate names, access
 * key ids and tokens and finds credentials by key id and token.
 */
class CredentialTest {

    private static final String TOKEN = "token-0123456789abcdef";
    private static final String SECRET = "secret-0123456789abcdef";
    private static final List<Scope> ALL = List.of(Scope.EVERYTHING);

    private static Credential bearer(String name, String token) {
        return new Credential(name, Optional.empty(), Optional.empty(), Optional.of(token), ALL);
    }

    private static Credential keyPair(String name, String id, String secret) {
        return new Credential(name, Optional.of(id), Optional.of(secret), Optional.empty(), ALL);
    }

    @Test
    void aTokenShorterThan16CharactersIsRefused() {
        assertThatThrownBy(() -> bearer("short", "x".repeat(15))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("short").hasMessageContaining("15").hasMessageContaining("16")
                .hasMessageNotContaining("x".repeat(15));
        assertThat(bearer("ok", "x".repeat(16)).token()).hasValue("x".repeat(16));
    }

    @Test
    void aSecretKeyShorterThan16CharactersIsRefused() {
        assertThatThrownBy(() -> keyPair("short", "AKID1", "s".repeat(15)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secretAccessKey");
    }

    @Test
    void secretsMustBePrintableWithoutSpaces() {
        assertThatThrownBy(() -> bearer("spaced", "token with spaces 0123"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("printable");
    }

    @Test
    void aKeyPairGoesTogetherAndSomeSecretAndScopeAreNeeded() {
        assertThatThrownBy(() -> new Credential("half", Optional.of("AKID1"), Optional.empty(), Optional.of(TOKEN),
                ALL)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("go together");
        assertThatThrownBy(() -> new Credential("none", Optional.empty(), Optional.empty(), Optional.empty(), ALL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("neither");
        assertThatThrownBy(() -> new Credential("scopeless", Optional.empty(), Optional.empty(), Optional.of(TOKEN),
                List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no scope");
        assertThatThrownBy(() -> new Credential(" ", Optional.empty(), Optional.empty(), Optional.of(TOKEN), ALL))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringNeverShowsTheTokenOrTheSecret() {
        Credential both = new Credential("both", Optional.of("AKIDBOTH"), Optional.of(SECRET), Optional.of(TOKEN),
                ALL);

        assertThat(both.toString()).contains("both").contains("AKIDBOTH").doesNotContain(TOKEN)
                .doesNotContain(SECRET);
        assertThat(both.principal().toString()).doesNotContain(TOKEN).doesNotContain(SECRET);
    }

    @Test
    void theStoreRefusesTwoCredentialsWithOneName() {
        assertThatThrownBy(() -> new CredentialStore(List.of(bearer("same", TOKEN), bearer("same", TOKEN + "2"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"same\"");
    }

    @Test
    void theStoreRefusesTwoCredentialsWithOneAccessKeyId() {
        assertThatThrownBy(() -> new CredentialStore(List.of(keyPair("a", "AKID1", SECRET),
                keyPair("b", "AKID1", SECRET + "2"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AKID1");
    }

    @Test
    void theStoreRefusesTwoCredentialsWithOneTokenWithoutShowingIt() {
        assertThatThrownBy(() -> new CredentialStore(List.of(bearer("a", TOKEN), bearer("b", TOKEN))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"b\"")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void theStoreFindsByTokenAndByAccessKeyId() {
        CredentialStore store = new CredentialStore(List.of(bearer("a", TOKEN), keyPair("b", "AKIDB", SECRET)));

        assertThat(store.byToken(TOKEN)).map(Credential::name).hasValue("a");
        assertThat(store.byToken(TOKEN + "x")).isEmpty();
        assertThat(store.byToken(TOKEN.substring(1))).isEmpty();
        assertThat(store.byAccessKeyId("AKIDB")).map(Credential::name).hasValue("b");
        assertThat(store.byAccessKeyId("akidb")).isEmpty();
        assertThat(store.size()).isEqualTo(2);
        assertThat(CredentialStore.empty().size()).isZero();
    }

    @Test
    void theDaemonsTokenCannotCollideWithAConfiguredKeyId() {
        Credential squatter = keyPair("squatter", CredentialAuthenticator.DAEMON_ACCESS_KEY_ID, SECRET);

        assertThatThrownBy(() -> new CredentialAuthenticator(List.of(squatter), Optional.of(TOKEN),
                java.time.Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(CredentialAuthenticator.DAEMON_ACCESS_KEY_ID);
    }
}
