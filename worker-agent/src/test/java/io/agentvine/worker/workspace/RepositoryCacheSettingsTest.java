package io.agentvine.worker.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RepositoryCacheSettingsTest {
    final Path workspaces = Path.of("/srv/workspaces");

    @Test
    void defaults_put_the_cache_under_the_workspace_directory() {
        List<String> problems = new ArrayList<>();
        RepositoryCacheSettings s = RepositoryCacheSettings.read(Map.<String, String>of()::get, workspaces, problems);
        assertThat(problems).isEmpty();
        assertThat(s).isEqualTo(new RepositoryCacheSettings(true, workspaces.resolve(".repo-cache"), 10L << 30));
    }

    @Test
    void sizes_take_a_suffix_and_off_turns_the_cache_off() {
        assertThat(RepositoryCacheSettings.parseSize("1234")).isEqualTo(1234);
        assertThat(RepositoryCacheSettings.parseSize("512M")).isEqualTo(512L << 20);
        assertThat(RepositoryCacheSettings.parseSize("20GiB")).isEqualTo(20L << 30);
        assertThat(RepositoryCacheSettings.parseSize("2 t")).isEqualTo(2L << 40);
        assertThat(RepositoryCacheSettings.parseSize("-5")).isEqualTo(-1);
        assertThat(RepositoryCacheSettings.parseSize("999999999999999999T")).isEqualTo(-1);
        List<String> problems = new ArrayList<>();
        assertThat(RepositoryCacheSettings.read(Map.of(RepositoryCacheSettings.ENABLED, "off")::get, workspaces, problems).enabled())
                .isFalse();
        assertThat(problems).isEmpty();
    }

    @Test
    void an_unusable_value_is_reported_naming_its_variable() {
        List<String> problems = new ArrayList<>();
        RepositoryCacheSettings.read(Map.of(RepositoryCacheSettings.ENABLED, "maybe", RepositoryCacheSettings.MAX_BYTES, "0",
                RepositoryCacheSettings.WORKSPACES, "two")::get, workspaces, problems);
        assertThat(problems).containsExactly("AGENTVINE_REPO_CACHE: 'maybe' is not on or off",
                "AGENTVINE_REPO_CACHE_MAX_BYTES: '0' is not a size of at least 1 byte (e.g. 5000000000, 20G, 512M)",
                "AGENTVINE_REPO_CACHE_WORKSPACES: 'two' is not a number of workspaces from 0 to 64");
    }

    @Test
    void the_number_of_kept_workspaces_is_read_and_zero_keeps_none() {
        List<String> problems = new ArrayList<>();
        assertThat(RepositoryCacheSettings.read(Map.<String, String>of()::get, workspaces, problems).workspaces())
                .isEqualTo(RepositoryCacheSettings.DEFAULT_WORKSPACES);
        assertThat(RepositoryCacheSettings.read(Map.of(RepositoryCacheSettings.WORKSPACES, " 0 ")::get, workspaces, problems).workspaces())
                .isZero();
        assertThat(RepositoryCacheSettings.read(Map.of(RepositoryCacheSettings.WORKSPACES, "65")::get, workspaces, problems).workspaces())
                .isEqualTo(RepositoryCacheSettings.DEFAULT_WORKSPACES);
        assertThat(problems).containsExactly("AGENTVINE_REPO_CACHE_WORKSPACES: '65' is not a number of workspaces from 0 to 64");
    }
}
