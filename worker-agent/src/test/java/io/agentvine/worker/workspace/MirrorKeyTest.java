package io.agentvine.worker.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MirrorKeyTest {
    @Test
    void spellings_of_one_repository_share_a_key_without_their_credentials() {
        String key = MirrorKey.of("https://github.com/acme/shop.git");
        assertThat(key).matches("[0-9a-f]{64}");
        assertThat(MirrorKey.of("https://x-access-token:ghs_secret@GitHub.com:443/acme/shop/")).isEqualTo(key);
        assertThat(MirrorKey.of("https://github.com/acme/shop")).isEqualTo(key);
        assertThat(MirrorKey.normalise("https://user:pw@GitHub.com/acme/shop.git")).isEqualTo("https://github.com/acme/shop");
        assertThat(MirrorKey.normalise("git@github.com:acme/shop.git")).isEqualTo("ssh://github.com/acme/shop");
        assertThat(MirrorKey.normalise("ssh://git@github.com:22/acme/shop.git")).isEqualTo("ssh://github.com/acme/shop");
    }

    @Test
    void other_repositories_hosts_ports_and_schemes_get_other_keys() {
        String key = MirrorKey.of("https://github.com/acme/shop.git");
        assertThat(MirrorKey.of("https://github.com/acme/tools.git")).isNotEqualTo(key);
        assertThat(MirrorKey.of("https://gitlab.com/acme/shop.git")).isNotEqualTo(key);
        assertThat(MirrorKey.of("https://github.com:8443/acme/shop.git")).isNotEqualTo(key);
        assertThat(MirrorKey.of("http://github.com/acme/shop.git")).isNotEqualTo(key);
    }
}
