package io.github.edgestream.api.reductstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.http.auth.Permission;
import io.github.edgestream.http.auth.Principal;
import io.github.edgestream.http.auth.Scope;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ReductStore's token permissions to scopes and back: what ReductStore's policies allow (write does not imply read,
 * {@code name*} covers a prefix, full access is everything), the entries refused with the field and value named, and
 * how configured credentials' scopes show as permissions.
 */
class TokenPermissionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static TokenPermissions parse(String text) throws Exception {
        return TokenPermissions.parse(json(text));
    }

    private static Scope scope(String namespace, String stream, Permission... permissions) {
        return new Scope(List.of(namespace), List.of(stream), EnumSet.of(permissions[0], permissions));
    }

    @Test
    void readOneBucketAndWriteAnotherAreTwoScopesAndWriteDoesNotImplyRead() throws Exception {
        TokenPermissions permissions = parse("{\"full_access\":false,\"read\":[\"cam-a\"],\"write\":[\"cam-b\"]}");

        List<Scope> scopes = permissions.scopes();

        assertThat(scopes).containsExactly(scope("reduct.cam-a", "*", Permission.READ),
                scope("reduct.cam-b", "*", Permission.WRITE));
        Principal token = new Principal("token:t", scopes);
        assertThat(token.allows(Permission.READ, Namespace.of("reduct.cam-a"), "e")).isTrue();
        assertThat(token.allows(Permission.WRITE, Namespace.of("reduct.cam-a"), "e")).isFalse();
        assertThat(token.allows(Permission.WRITE, Namespace.of("reduct.cam-b"), "e")).isTrue();
        assertThat(token.allows(Permission.READ, Namespace.of("reduct.cam-b"), "e")).isFalse();
        assertThat(token.allows(Permission.ADMIN, Namespace.of("reduct.cam-b"), "e")).isFalse();
        assertThat(TokenPermissions.of(scopes)).isEqualTo(permissions);
    }

    @Test
    void aPrefixWildcardCoversTheBucketsStartingWithIt() throws Exception {
        Principal token = new Principal("token:t", parse("{\"read\":[\"cam-*\"]}").scopes());

        assertThat(token.allows(Permission.READ, Namespace.of("reduct.cam-a"), "e")).isTrue();
        assertThat(token.allows(Permission.READ, Namespace.of("reduct.cam-"), "e")).isTrue();
        assertThat(token.allows(Permission.READ, Namespace.of("reduct.plc-a"), "e")).isFalse();
        assertThat(token.allows(Permission.READ, Namespace.of("s2.cam-a"), "e")).isFalse();
    }

    @Test
    void fullAccessIsEverythingAndKeepsItsLists() throws Exception {
        TokenPermissions permissions = parse("{\"full_access\":true,\"read\":[\"a\"]}");

        assertThat(permissions.scopes()).containsExactly(Scope.EVERYTHING, scope("reduct.a", "*", Permission.READ));
        assertThat(TokenPermissions.fullAccess(permissions.scopes())).isTrue();
        assertThat(TokenPermissions.of(permissions.scopes())).isEqualTo(permissions);
    }

    @Test
    void noPermissionsAreNoScopes() throws Exception {
        for (String body : List.of("{}", "{\"full_access\":null,\"read\":null,\"write\":[]}")) {
            TokenPermissions permissions = parse(body);
            assertThat(permissions).isEqualTo(new TokenPermissions(false, List.of(), List.of()));
            assertThat(permissions.scopes()).isEmpty();
            assertThat(TokenPermissions.fullAccess(permissions.scopes())).isFalse();
        }
    }

    @Test
    void repeatedBucketsAreListedOnce() throws Exception {
        assertThat(parse("{\"read\":[\"a\",\"b\",\"a\"]}").read()).containsExactly("a", "b");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"read\":[\"a/b\"]}                 | permissions.read[0] is string \"a/b\"",
        "{\"write\":[\"ok\",\"a*b\"]}         | permissions.write[1] is string \"a*b\"",
        "{\"read\":[\"$audit\"]}              | permissions.read[0] is string \"$audit\"",
        "{\"read\":[\"**\"]}                  | permissions.read[0]",
        "{\"read\":[\"\"]}                    | permissions.read[0] is string \"\"",
        "{\"read\":[7]}                       | permissions.read[0] is number 7",
        "{\"read\":\"a\"}                     | permissions.read is string \"a\" but must be a list",
        "{\"full_access\":\"yes\"}            | permissions.full_access is string \"yes\" but must be true or false",
    })
    void badEntriesAreRefusedNamingTheFieldAndTheValue(String body, String message) {
        assertThatThrownBy(() -> parse(body)).isInstanceOf(ReductException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((ReductException) e).status()).isEqualTo(422));
    }

    @Test
    void permissionsMustBeAnObject() {
        for (JsonNode node : new JsonNode[] {null, JSON.nullNode(), JSON.createArrayNode()}) {
            assertThatThrownBy(() -> TokenPermissions.parse(node)).isInstanceOf(ReductException.class)
                    .hasMessageContaining("permissions is").hasMessageContaining("must be an object");
        }
    }

    @Test
    void aBucketNameHasAtMost64CharactersAndAPrefixAtMost63() throws Exception {
        assertThat(parse("{\"read\":[\"" + "x".repeat(64) + "\",\"" + "y".repeat(63) + "*\"]}").read()).hasSize(2);
        assertThatThrownBy(() -> parse("{\"read\":[\"" + "x".repeat(65) + "\"]}"))
                .hasMessageContaining("permissions.read[0]").hasMessageContaining("1 to 64");
        assertThatThrownBy(() -> parse("{\"read\":[\"" + "y".repeat(64) + "*\"]}"))
                .hasMessageContaining("permissions.read[0]");
    }

    @Test
    void eachListHoldsAtMost256Buckets() throws Exception {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < 257; i++) {
            list.append(i == 0 ? "" : ",").append("\"b").append(i).append('"');
        }
        String all = list.toString();
        String most = all.substring(0, all.lastIndexOf(','));

        assertThat(parse("{\"write\":[" + most + "]}").write()).hasSize(256);
        assertThatThrownBy(() -> parse("{\"write\":[" + all + "]}")).isInstanceOf(ReductException.class)
                .hasMessageContaining("permissions.write has 257 buckets; at most 256");
    }

    // ---- configured credentials' scopes, as /me shows them

    @Test
    void theDaemonsAndAnAdministratorsScopeIsFullAccess() {
        assertThat(TokenPermissions.of(List.of(Scope.EVERYTHING)))
                .isEqualTo(new TokenPermissions(true, List.of(), List.of()));
    }

    @Test
    void scopesShowAsTheBucketsTheyTouch() {
        List<Scope> scopes = List.of(
                scope("reduct.*", "sensor-*", Permission.READ), // some entries of every bucket
                scope("reduct.plant", "*", Permission.ADMIN), // admin reads and writes
                scope("reduct.cam-*", "*", Permission.WRITE),
                scope("*", "*", Permission.READ), // every namespace but not admin: not full access
                scope("s2.basin", "*", Permission.ADMIN), // another API's namespace
                scope("reduct.a?c", "*", Permission.READ)); // a glob ReductStore cannot say

        TokenPermissions shown = TokenPermissions.of(scopes);

        assertThat(shown.fullAccess()).isFalse();
        assertThat(shown.read()).containsExactly("*", "plant");
        assertThat(shown.write()).containsExactly("plant", "cam-*");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {
        "*, *", "reduct.*, *", "reduct*, *", "r*, *", "reduct.cam, cam", "reduct.cam*, cam*",
        "reduct.a?c, none", "reduct.a*c, none", "s2.basin, none", "s*, none", "reduct., none", "default, none",
    })
    void namespaceGlobsAsBucketEntries(String glob, String entry) {
        assertThat(TokenPermissions.bucketOf(glob)).isEqualTo(Optional.ofNullable(entry));
    }
}
