package io.agentvine.worker.agent.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where Claude Code and Codex keep a session, and the archive that carries one to another worker. */
class SessionFilesTest {
    @TempDir
    Path tmp;

    @Test
    void claude_code_keeps_a_session_in_the_folder_of_its_dashed_working_directory() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("work.spaces/wo_7"));
        ClaudeSessionFiles claude = new ClaudeSessionFiles(tmp.resolve("cfg"));
        Path dir = claude.directory(ws);
        assertThat(dir.getParent()).isEqualTo(tmp.resolve("cfg/projects"));
        assertThat(dir.getFileName().toString()).isEqualTo(ws.toRealPath().toString().replaceAll("[^A-Za-z0-9]", "-"))
                .endsWith("-work-spaces-wo-7");
        Files.createDirectories(dir.resolve("s-1/subagents"));
        Files.writeString(dir.resolve("s-1.jsonl"), "{}\n");
        Files.writeString(dir.resolve("s-1/subagents/a.jsonl"), "{}\n");
        Files.writeString(dir.resolve("s-2.jsonl"), "{}\n");
        assertThat(claude.files(dir, "s-1")).containsExactlyInAnyOrder(Path.of("s-1.jsonl"), Path.of("s-1/subagents/a.jsonl"));
        assertThat(claude.files(dir, "s-3")).isEmpty();
    }

    @Test
    void codex_keeps_a_session_under_the_day_it_started_named_by_its_id() throws Exception {
        CodexSessionFiles codex = new CodexSessionFiles(tmp.resolve("codex"));
        Path dir = codex.directory(tmp);
        Path day = Files.createDirectories(dir.resolve("2026/12/02"));
        Files.writeString(day.resolve("rollout-2026-12-02T10-00-00-th-1.jsonl"), "{}\n");
        Files.writeString(day.resolve("rollout-2026-12-02T11-00-00-th-2.jsonl"), "{}\n");
        assertThat(codex.files(dir, "th-1")).containsExactly(Path.of("2026/12/02/rollout-2026-12-02T10-00-00-th-1.jsonl"));
        assertThat(codex.files(tmp.resolve("none"), "th-1")).isEmpty();
    }

    @Test
    void an_archive_carries_the_files_with_secrets_replaced_and_restores_them_elsewhere() throws Exception {
        Path from = Files.createDirectories(tmp.resolve("from/s-1"));
        Files.writeString(tmp.resolve("from/s-1.jsonl"), "{\"env\":\"ANTHROPIC_API_KEY=sk-ant-secret-1\"}\n");
        Files.writeString(from.resolve("r.txt"), "result\n");
        String archive = SessionArchive.of(tmp.resolve("from"), List.of(Path.of("s-1.jsonl"), Path.of("s-1/r.txt")),
                t -> t.replace("sk-ant-secret-1", "***"), 100_000).orElseThrow();
        Path to = tmp.resolve("to");
        assertThat(SessionArchive.restore(archive, to)).isEqualTo(2);
        assertThat(Files.readString(to.resolve("s-1.jsonl"))).contains("ANTHROPIC_API_KEY=***").doesNotContain("sk-ant");
        assertThat(Files.readString(to.resolve("s-1/r.txt"))).isEqualTo("result\n");
        assertThat(SessionArchive.of(tmp.resolve("from"), List.of(Path.of("s-1.jsonl")), t -> t, 10)).as("over the limit").isEmpty();
    }

    @Test
    void an_archive_entry_outside_the_directory_is_refused() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("../../escape.txt"));
            zip.write("x".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        String evil = Base64.getEncoder().encodeToString(bytes.toByteArray());
        assertThatThrownBy(() -> SessionArchive.restore(evil, tmp.resolve("to"))).hasMessageContaining("outside");
        assertThat(tmp.resolve("escape.txt")).doesNotExist();
    }

    @Test
    void symbolic_links_are_followed_neither_into_the_archive_nor_out_of_it() throws Exception {
        Path outside = Files.writeString(tmp.resolve("worker-environ"), "REDIS_URL=redis://:hunter2@127.0.0.1:6379\n");
        Path from = Files.createDirectories(tmp.resolve("from/s-2"));
        Files.createSymbolicLink(from.resolve("x.jsonl"), outside);
        assertThatThrownBy(() -> SessionArchive.of(tmp.resolve("from"), List.of(Path.of("s-2/x.jsonl")), t -> t, 100_000))
                .hasMessageContaining("symbolic link");
        Files.createSymbolicLink(tmp.resolve("from/s-3"), Files.createDirectories(tmp.resolve("elsewhere")));
        Files.writeString(tmp.resolve("elsewhere/y.jsonl"), "{}\n");
        assertThatThrownBy(() -> SessionArchive.of(tmp.resolve("from"), List.of(Path.of("s-3/y.jsonl")), t -> t, 100_000))
                .as("a linked folder on the way").hasMessageContaining("symbolic link");

        // restoring into a folder shared by every task, where a link points out of it
        Path into = Files.createDirectories(tmp.resolve("sessions"));
        Path target = Files.createDirectories(tmp.resolve("target"));
        Files.createSymbolicLink(into.resolve("2026"), target);
        Files.writeString(Files.createDirectories(tmp.resolve("src/2026")).resolve("r.jsonl"), "{\"a\":1}\n");
        String archive = SessionArchive.of(tmp.resolve("src"), List.of(Path.of("2026/r.jsonl")), t -> t, 100_000).orElseThrow();
        assertThatThrownBy(() -> SessionArchive.restore(archive, into)).hasMessageContaining("symbolic link");
        assertThat(target.resolve("r.jsonl")).doesNotExist();
    }

    @Test
    void files_too_large_to_fit_are_not_read() throws Exception {
        Path from = Files.createDirectories(tmp.resolve("big"));
        Files.write(from.resolve("s.jsonl"), new byte[40 * 1000]);
        assertThat(SessionArchive.of(from, List.of(Path.of("s.jsonl")), t -> t, 1000)).as("40,000 bytes for 1,000 characters").isEmpty();
    }
}
