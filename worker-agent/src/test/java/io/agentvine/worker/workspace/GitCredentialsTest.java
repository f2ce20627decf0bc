package io.agentvine.worker.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;

class GitCredentialsTest {
    static final String TOKEN = "ghp_a+b/c=d";

    @Test
    void the_token_is_masked_plain_url_encoded_and_inside_a_basic_authorization() {
        GitCredentials c = new GitCredentials(Map.of(GitCredentials.TOKEN, TOKEN));
        String basic = Base64.getEncoder().encodeToString(("x-access-token:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        String text = "token " + TOKEN + " in https://x-access-token:" + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8)
                + "@github.com/a/b.git, header Authorization: Basic " + basic;

        assertThat(c.redact(text)).isEqualTo("token *** in https://x-access-token:***@github.com/a/b.git, header Authorization: Basic ***");
        assertThat(c.redact(null)).isNull();
        assertThat(GitCredentials.none().redact(text)).isEqualTo(text);
    }

    @Test
    void to_string_never_shows_the_token() {
        GitCredentials c = new GitCredentials(Map.of(GitCredentials.TOKEN, TOKEN, GitCredentials.SSH_KEY, "/keys/id_ed25519"));
        assertThat(c.toString()).doesNotContain(TOKEN).doesNotContain("ghp").contains("token=***").contains("/keys/id_ed25519");
        assertThat(GitCredentials.none().toString()).contains("token=none");
    }

    @Test
    void the_https_user_defaults_to_x_access_token_and_can_be_configured() throws Exception {
        assertThat(login(new GitCredentials(Map.of(GitCredentials.TOKEN, TOKEN)).https())).isEqualTo("x-access-token:" + TOKEN);
        assertThat(login(new GitCredentials(Map.of(GitCredentials.TOKEN, TOKEN, GitCredentials.USERNAME, "ci-bot")).https()))
                .isEqualTo("ci-bot:" + TOKEN);
    }

    @Test
    void blank_variables_count_as_unset_and_a_token_read_from_a_file_loses_its_newline() throws Exception {
        GitCredentials blank = new GitCredentials(Map.of(GitCredentials.TOKEN, "  ", GitCredentials.USERNAME, "",
                GitCredentials.SSH_KEY, ""));
        assertThat(blank.hasToken()).isFalse();
        assertThat(blank.hasSshKey()).isFalse();
        assertThat(blank.https()).isNull();
        assertThat(login(new GitCredentials(Map.of(GitCredentials.TOKEN, TOKEN + "\n", GitCredentials.USERNAME, " ")).https()))
                .isEqualTo("x-access-token:" + TOKEN);
    }

    @Test
    void scp_like_addresses_are_ssh() {
        assertThat(GitCredentials.scheme("git@github.com:acme/shop.git")).isEqualTo("ssh");
        assertThat(GitCredentials.scheme("HTTPS://github.com/acme/shop.git")).isEqualTo("https");
        assertThat(GitCredentials.scheme("file:///srv/git/shop.git")).isEqualTo("file");
    }

    private static String login(CredentialsProvider p) throws Exception {
        CredentialItem.Username user = new CredentialItem.Username();
        CredentialItem.Password password = new CredentialItem.Password();
        assertThat(p.get(new URIish("https://github.com/acme/shop.git"), user, password)).isTrue();
        return user.getValue() + ":" + new String(password.getValue());
    }
}
