package io.agentvine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The branch rule against the real {@code git check-ref-format --branch}. */
class BranchNamesTest {
    /** Names git refuses, and names this rule refuses although git takes them (outside the safe alphabet). */
    private static final List<String> TRICKY = List.of(
            "main", "feature/login-sso", "release/1.2", "v1.0+build", "a.b/c.d", "_x", "+x", "a+", "a.-b", "head",
            "a/HEAD", "HEAD/a", "FETCH_HEAD", "refs/heads/x", "a.lock.b", "x".repeat(200),
            " ", "\n", "\t", "", "a b", " main", "main ", "main\n", "ma\u0000in", "ma\u007fin", "ma\u00a0in",
            "HEAD", "-", "-x", "--upload-pack=x", "a..b", "..", "../etc", ".hidden", "feature/.x", "/abs", "x/", "a//b",
            "x.lock", "x.lock/y", "a/b.lock/c", "ends.", "a:b", "a~1", "a^", "a@{1}", "@{-1}", "a\\b", "a?", "a*", "a[b",
            "@", "a@b", "x{y}", "ünï", "a/./b", "a/../b", ".", "/", "x".repeat(201));

    @Test
    void every_name_the_rule_accepts_git_accepts_too() throws Exception {
        List<String> disagreements = new ArrayList<>();
        int accepted = 0;
        for (String name : TRICKY) {
            boolean ours = BranchNames.problem(name) == null;
            if (ours) {
                accepted++;
                if (!gitAccepts(name)) {
                    disagreements.add(name);
                }
            }
        }
        assertThat(disagreements).as("accepted here, refused by git").isEmpty();
        assertThat(accepted).as("the list holds valid names too").isGreaterThanOrEqualTo(15);
    }

    @Test
    void every_name_git_refuses_is_refused() throws Exception {
        int gitRefused = 0;
        for (String name : TRICKY) {
            if (!name.isEmpty() && !name.contains("\u0000") && !gitAccepts(name)) {
                gitRefused++;
                assertThat(BranchNames.problem(name)).as("'%s' is refused by git", name).isNotNull();
            }
        }
        assertThat(gitRefused).isGreaterThanOrEqualTo(25);
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "\n", "HEAD", "a..b", "a@{1}", "-x", "x/", "x.lock", "", "a b"})
    void the_refusal_names_the_field_and_the_rule(String name) {
        assertThatThrownBy(() -> BranchNames.check(name, "branch"))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> {
                    assertThat(e.field()).isEqualTo("branch");
                    assertThat(e.getMessage()).contains("is not a valid branch name: ").doesNotContain("\n");
                });
    }

    @Test
    void null_means_the_default_branch() {
        assertThat(BranchNames.check(null, "branch")).isNull();
    }

    private static boolean gitAccepts(String name) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("git", "check-ref-format", "--branch", name).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0;
    }
}
