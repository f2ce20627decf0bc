package io.agentvine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkBranchesTest {

    private static WorkOrder order(String taskId) {
        return WorkOrder.builder("wo-1", TaskType.FEATURE).taskId(taskId).repositoryUrl("https://github.com/acme/shop.git")
                .title("t").build();
    }

    @Test
    void a_task_writes_to_its_own_branch_under_the_type() {
        assertThat(WorkBranches.of(order("SHOP-7.1"))).isEqualTo("agentvine/feature/SHOP-7.1");
    }

    @Test
    void a_task_id_that_is_no_ref_name_is_made_one_and_stays_unique() {
        String branch = WorkBranches.of(order("jira:SHOP-7..a.lock"));
        assertThat(branch).startsWith("agentvine/feature/jira-SHOP-7--a-lock-");
        assertThat(BranchNames.problem(branch)).isNull();
        assertThat(WorkBranches.of(order("jira-SHOP-7..a-lock"))).isNotEqualTo(branch);
    }

    @ParameterizedTest
    @CsvSource({
        "https://github.com/acme/shop.git,            github.com/acme/shop",
        "https://user@GitHub.com:443/acme/shop.git/,  github.com/acme/shop",
        "http://GITHUB.COM/acme/shop/,                github.com/acme/shop",
        "ssh://git@github.com:22/acme/shop.git,       github.com/acme/shop",
        "git@github.com:acme/shop.git,                github.com/acme/shop",
        "git://github.com/Acme/Shop,                  github.com/Acme/Shop",
        "github.com/acme/shop,                        github.com/acme/shop",
        "GitHub.com/acme/shop.git,                    github.com/acme/shop",
        "file:///srv/git/app.git,                     file:/srv/git/app",
    })
    void one_repository_has_one_key_whatever_its_address(String url, String key) {
        assertThat(WorkBranches.repositoryKey(url)).isEqualTo(key);
    }

    @Test
    void an_operator_names_a_repository_by_any_url_or_its_key_and_nothing_else() {
        assertThat(WorkBranches.operatorRepositoryKey("https://github.com/acme/shop.git", "repository")).isEqualTo("github.com/acme/shop");
        assertThat(WorkBranches.operatorRepositoryKey("github.com/acme/shop", "repository")).isEqualTo("github.com/acme/shop");
        assertThat(WorkBranches.operatorRepositoryKey("https://dev.azure.com/org/My%20Project/_git/repo", "repository"))
                .isEqualTo("dev.azure.com/org/My Project/_git/repo");
        assertThat(WorkBranches.operatorRepositoryKey("file:///srv/git/shop.git", "repository")).isEqualTo("file:/srv/git/shop");
        for (String nasty : List.of("", " ", "HEAD", "a..b", "../../etc/passwd", "\u202eevil/x", "-x/y", "${jndi:ldap://x}",
                "github.com/acme/\u0000shop", "' OR 1=1 --", "😀/x", "<script>x</script>")) {
            assertThatThrownBy(() -> WorkBranches.operatorRepositoryKey(nasty, "repository")).as(nasty)
                    .isInstanceOf(InvalidMessageException.class).hasMessageStartingWith("repository: ");
        }
    }
}
