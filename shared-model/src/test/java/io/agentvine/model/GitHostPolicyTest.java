package io.agentvine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GitHostPolicyTest {
    private static final GitHostPolicy NONE = GitHostPolicy.allowing("");
    private static final GitHostPolicy LOCAL = GitHostPolicy.allowing(" 127.0.0.1/32, git.internal,10.1.0.0/16,fd12::/16,"
            + "localhost,169.254.0.0/16");

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            https://169.254.169.254/latest/meta-data        | 169.254.169.254 is a link-local address
            https://2852039166/latest                       | is 169.254.169.254, a link-local
            http://0xa9fea9fe/                              | is 169.254.169.254, a link-local
            http://0xA9.0xFE.0xA9.0xFE/                     | is 169.254.169.254, a link-local
            http://0251.0376.0251.0376/                     | is 169.254.169.254, a link-local
            http://169.254.43518/                           | is 169.254.169.254, a link-local
            http://169.16689662/                            | is 169.254.169.254, a link-local
            https://169.254.169.254./                       | is 169.254.169.254, a link-local
            https://[::ffff:169.254.169.254]/               | is 169.254.169.254, a link-local
            https://[::ffff:a9fe:a9fe]/                     | is 169.254.169.254, a link-local
            https://[0:0:0:0:0:ffff:a9fe:a9fe]:443/         | is 169.254.169.254, a link-local
            https://[64:ff9b::a9fe:a9fe]/                   | is 169.254.169.254, a link-local
            https://[2002:a9fe:a9fe::1]/                    | is 169.254.169.254, a link-local
            https://[fe80::1%25eth0]/                       | link-local address
            https://[FE80::1]/                              | link-local address
            https://[fd00:ec2::254]/latest                  | cloud metadata address
            http://100.100.100.200/latest                   | cloud metadata address
            http://metadata.google.internal/computeMetadata | cloud metadata service
            http://METADATA.google.internal./x              | cloud metadata service
            http://metadata/x                               | cloud metadata service
            https://user@169.254.169.254:8443/x             | link-local address
            ssh://git@[fe80::2]:22/x                        | link-local address
            git@169.254.169.254:acme/app.git                | link-local address
            git://0.0.0.0/x                                 | 'this host' address
            git://0/x                                       | 'this host' address
            https://[::]/x                                  | unspecified address
            https://224.0.0.1/x                             | multicast address
            https://255.255.255.255/x                       | reserved address
            https://256.1.1.1/x                             | not a valid IPv4 address
            https://[::ffff:1.2.3]/x                        | not a valid URL
            https://%31%36%39.254.169.254/x                 | percent-encoded
            """)
    void link_local_metadata_and_unusable_addresses_are_refused_even_when_allowed(String url, String reason) {
        for (GitHostPolicy policy : new GitHostPolicy[] {NONE, LOCAL}) {
            assertThatThrownBy(() -> policy.checkUrl(url, "repository_url"))
                    .isInstanceOfSatisfying(InvalidMessageException.class, e -> {
                        assertThat(e.field()).isEqualTo("repository_url");
                        assertThat(e.getMessage()).contains(reason);
                    });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/x", "git://127.0.0.1:9418/x", "http://2130706433/x", "http://0x7f.1/x",
        "http://017700000001/x", "http://127.1/x", "https://[::1]/x", "https://[0:0:0:0:0:0:0:1]/x",
        "https://[::ffff:127.0.0.1]/x", "https://[::ffff:7f00:1]/x", "https://localhost/x", "https://LocalHost./x",
        "https://git.localhost/x", "ssh://git@localhost:2222/x", "git@127.0.0.1:acme/app.git", "https://10.0.0.1/x",
        "https://167772161/x", "https://172.16.0.1/x", "https://172.31.255.255/x", "https://192.168.1.1/x",
        "https://100.64.0.1/x", "https://[fc00::1]/x", "https://[fd12:3456::1]/x", "https://[::ffff:10.0.0.1]/x",
        "https://[fec0::1]/x"})
    void loopback_and_private_addresses_are_refused_without_an_allow_list(String url) {
        assertThatThrownBy(() -> NONE.checkUrl(url, "repository_url"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("refused unless AGENTVINE_ALLOWED_GIT_HOSTS admits it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/x", "git://127.0.0.1:9418/x", "http://2130706433/x",
        "https://[::ffff:127.0.0.1]/x", "https://localhost/x", "https://LOCALHOST./x", "https://10.1.2.3/x",
        "https://[fd12::9]/x", "https://git.internal/x", "https://github.com/acme/app.git", "https://140.82.112.3/x",
        "https://[2606:4700::1111]/x", "git@github.com:acme/app.git", "file:///srv/git/app.git"})
    void the_allow_list_admits_its_hosts_and_ranges_and_public_hosts_need_nothing(String url) {
        LOCAL.checkUrl(url, "repository_url");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.2/x", "https://10.2.0.1/x", "https://[fd13::1]/x", "https://git.localhost/x",
        "https://192.168.0.1/x"})
    void hosts_outside_the_allow_list_stay_refused(String url) {
        assertThatThrownBy(() -> LOCAL.checkUrl(url, "repository_url")).isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void public_names_and_addresses_are_accepted_without_resolving_them() {
        assertThat(NONE.judge("github.com").allowed()).isTrue();
        assertThat(NONE.judge("8.8.8.8").allowed()).isTrue();
        assertThat(NONE.judge("git.internal").allowed()).isTrue(); // a name is judged as written, never resolved
    }

    @Test
    void a_file_url_with_a_host_is_refused() {
        assertThatThrownBy(() -> NONE.checkUrl("file://169.254.169.254/srv/x", "repository_url"))
                .hasMessageContaining("file:///path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/x", "git_host", "foo/24", "::1/129", "http://x"})
    void a_bad_allow_list_entry_is_named(String entry) {
        assertThatThrownBy(() -> GitHostPolicy.allowing("127.0.0.1," + entry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + entry + "'");
    }

    @Test
    void the_workers_policy_refuses_only_what_is_always_refused() {
        GitHostPolicy worker = GitHostPolicy.alwaysRefusedOnly();
        for (String host : new String[] {"127.0.0.1", "localhost", "10.1.2.3", "[::1]", "[fd12::1]", "github.com"}) {
            assertThat(worker.judge(host).allowed()).as(host).isTrue();
        }
        for (String host : new String[] {"169.254.169.254", "[fe80::1]", "metadata.google.internal", "0.0.0.0", "224.0.0.1"}) {
            assertThat(worker.judge(host).allowed()).as(host).isFalse();
        }
    }
}
