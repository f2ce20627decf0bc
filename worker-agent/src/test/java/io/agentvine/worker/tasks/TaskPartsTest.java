package io.agentvine.worker.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Templates, prompts, test-command detection and review reports, on real files. */
class TaskPartsTest {
    @TempDir
    Path ws;

    static WorkOrder order(String type, String instructions) {
        return WorkOrder.builder("wo-1", TaskType.of(type)).repositoryUrl("https://github.com/acme/shop.git")
                .branch("main").title("Add {{type}} support").instructions(instructions).build();
    }

    @Test
    void every_built_in_type_has_a_template_with_the_orders_instructions_and_its_own_acceptance() {
        TaskProfiles profiles = TaskProfiles.builtIn();
        for (TaskType t : TaskType.BUILT_IN) {
            TaskProfile p = profiles.forType(t);
            assertThat(p.template()).contains("{{instructions}}").contains("{{title}}");
            assertThat(p.acceptance()).isEqualTo(t.equals(TaskType.REVIEW) ? Acceptance.REVIEW : Acceptance.TESTS);
        }
        assertThat(profiles.forType(TaskType.of("nobody-defined-me")).acceptance()).isEqualTo(Acceptance.TESTS);
    }

    @Test
    void a_prompt_is_rendered_in_one_pass_with_the_test_command_and_the_repositorys_agent_files() throws Exception {
        Files.writeString(ws.resolve("AGENTS.md"), "Use tabs.\n");
        Files.createDirectories(ws.resolve(".github"));
        Files.writeString(ws.resolve(".github/copilot-instructions.md"), "Prefer records.\n");
        String prompt = Prompts.render(TaskProfiles.builtIn().forType(TaskType.FEATURE), order("feature", "Use {{review_file}} literally."),
                ws, "main", Path.of("/logs/wo-1.review.md"), Optional.of("make test"));

        assertThat(prompt).contains("Task wo-1: implement a feature — Add {{type}} support")
                .as("text from the order is not rendered again").contains("Use {{review_file}} literally.")
                .contains("https://github.com/acme/shop.git")
                .contains("AgentVine runs `make test`")
                .contains("(AGENTS.md)").contains("Use tabs.").contains("(.github/copilot-instructions.md)").contains("Prefer records.");
        assertThat(prompt.indexOf("Use tabs.")).isLessThan(prompt.indexOf("Prefer records."));
    }

    @Test
    void a_template_from_the_templates_directory_replaces_the_built_in_one_and_must_keep_the_instructions() throws Exception {
        Path dir = Files.createDirectories(ws.resolve("templates"));
        Files.writeString(dir.resolve("docs.md"), "House style docs task: {{instructions}}\n");
        assertThat(TaskProfiles.load(Optional.of(dir), Optional.empty()).forType(TaskType.DOCS).template())
                .startsWith("House style docs task");

        Files.writeString(dir.resolve("docs.md"), "no instructions here\n");
        assertThatThrownBy(() -> TaskProfiles.load(Optional.of(dir), Optional.empty()))
                .hasMessageContaining("docs").hasMessageContaining("must contain {{instructions}}");
    }

    @Test
    void custom_types_file_errors_name_the_file_and_the_type() throws Exception {
        Path f = ws.resolve("types.yaml");
        Files.writeString(f, "types:\n  audit:\n    acceptance: maybe\n    template: '{{instructions}}'\n");
        assertThatThrownBy(() -> TaskProfiles.load(Optional.empty(), Optional.of(f)))
                .hasMessageContaining("types.audit").hasMessageContaining("acceptance 'maybe' is not one of tests, review, none");
        Files.writeString(f, "types:\n  audit:\n    acceptance: none\n");
        assertThatThrownBy(() -> TaskProfiles.load(Optional.empty(), Optional.of(f))).hasMessageContaining("needs 'template' or 'template_file'");
        Files.writeString(ws.resolve("changelog.md"), "Changelog: {{instructions}}");
        Files.writeString(f, "types:\n  changelog:\n    acceptance: none\n    template_file: changelog.md\n");
        TaskProfile p = TaskProfiles.load(Optional.empty(), Optional.of(f)).forType(TaskType.of("changelog"));
        assertThat(p.acceptance()).isEqualTo(Acceptance.NONE);
        assertThat(p.template()).isEqualTo("Changelog: {{instructions}}");
    }

    @Test
    void the_test_command_is_detected_from_the_build_files() throws Exception {
        assertThat(TestCommands.forOrder("make check", ws)).contains(List.of("sh", "-c", "make check"));
        assertThat(TestCommands.detect(ws)).isEmpty();
        Files.writeString(ws.resolve("package.json"), "{\"scripts\":{\"test\":\"echo \\\"Error: no test specified\\\" && exit 1\"}}");
        assertThat(TestCommands.detect(ws)).as("npm's placeholder script is not a test suite").isEmpty();
        Files.writeString(ws.resolve("package.json"), "{\"scripts\":{\"test\":\"vitest run\"}}");
        assertThat(TestCommands.detect(ws)).contains(List.of("npm", "test", "--silent"));
        Files.writeString(ws.resolve("go.mod"), "module x\n");
        assertThat(TestCommands.detect(ws)).as("npm before go").contains(List.of("npm", "test", "--silent"));
        Files.delete(ws.resolve("package.json"));
        assertThat(TestCommands.detect(ws)).contains(List.of("go", "test", "./..."));
        Files.delete(ws.resolve("go.mod"));
        Files.writeString(ws.resolve("Cargo.toml"), "[package]\n");
        assertThat(TestCommands.detect(ws)).contains(List.of("cargo", "test"));
        Files.delete(ws.resolve("Cargo.toml"));
        Files.createDirectories(ws.resolve("tests"));
        Files.writeString(ws.resolve("tests/test_cart.py"), "def test_x(): pass\n");
        assertThat(TestCommands.detect(ws)).contains(List.of("python3", "-m", "pytest", "-q"));
        Files.writeString(ws.resolve("build.gradle.kts"), "");
        assertThat(TestCommands.detect(ws)).contains(List.of("gradle", "test", "--console=plain"));
        Files.writeString(ws.resolve("pom.xml"), "<project/>");
        assertThat(TestCommands.detect(ws)).contains(List.of("mvn", "-B", "-q", "test"));
        Path mvnw = Files.writeString(ws.resolve("mvnw"), "#!/bin/sh\n");
        mvnw.toFile().setExecutable(true);
        assertThat(TestCommands.detect(ws)).contains(List.of("./mvnw", "-B", "-q", "test"));
    }

    @Test
    void review_findings_are_list_items_that_start_with_a_location() {
        ReviewReport r = ReviewReport.parse("""
                # Review
                Intro mentions README.md:3 in passing, not a finding.
                ## Findings
                - `src/cart.py:42` — rounding uses floats
                * **lib/util.ts:7-9**: dead code
                1. pom.xml:12 – pin the plugin version
                - a general remark without a location
                """);
        assertThat(r.findings()).containsExactly(
                new ReviewReport.Finding("src/cart.py", 42, "rounding uses floats"),
                new ReviewReport.Finding("lib/util.ts", 7, "dead code"),
                new ReviewReport.Finding("pom.xml", 12, "pin the plugin version"));
        assertThat(ReviewReport.parse("x".repeat(ReviewReport.MAX_REPORT_CHARS + 10)).markdown()).endsWith("[… truncated]");
    }
}
