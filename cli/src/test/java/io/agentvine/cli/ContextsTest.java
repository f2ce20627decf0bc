package io.agentvine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.cli.VineRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Contexts in {@code $XDG_CONFIG_HOME/agentvine/config.yaml}: login, list (masked), use, and flag > environment > context. */
class ContextsTest {
    private static TestController controller;

    @TempDir
    Path home;

    @BeforeAll
    static void start() {
        controller = new TestController(false);
    }

    @AfterAll
    static void stop() {
        controller.close();
    }

    private Path configFile() {
        return home.resolve("agentvine").resolve("config.yaml");
    }

    private Result login(String key, String... more) {
        String[] args = new String[3 + more.length];
        args[0] = "login";
        args[1] = "--server";
        args[2] = controller.url();
        System.arraycopy(more, 0, args, 3, more.length);
        return new VineRun(home).stdin(key + "\n").run(args);
    }

    @Test
    void login_checks_the_key_saves_it_owner_only_and_never_prints_it() throws Exception {
        Result r = login(TestController.ADMIN, "--key-stdin");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out() + r.err()).doesNotContain(TestController.ADMIN);
        assertThat(Files.getPosixFilePermissions(configFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(configFile().getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.readString(configFile())).contains("current_context: default").contains(controller.url());

        Result list = new VineRun(home).run("task", "list", "-o", "json");
        assertThat(list.code()).as("the context's server and key are used: " + list).isZero();

        Result contexts = new VineRun(home).run("context", "list");
        assertThat(contexts.out()).contains("default").contains(controller.url()).contains("********").doesNotContain(TestController.ADMIN);
        Result json = new VineRun(home).run("context", "list", "-o", "json");
        assertThat(json.json().get(0).path("key").asText()).isEqualTo("********");
        assertThat(json.out()).doesNotContain(TestController.ADMIN);
    }

    @Test
    void a_refused_key_is_not_saved() {
        Result r = login("wrong-key-xyz", "--key-stdin");
        assertThat(r.code()).isEqualTo(ExitCodes.AUTH);
        assertThat(r.err()).doesNotContain("wrong-key-xyz");
        assertThat(configFile()).doesNotExist();
        assertThat(login("", "--key-stdin").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(new VineRun(home).run("login").code()).as("one of --key-stdin, --key-command").isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void contexts_with_a_key_command_and_switching_between_them() {
        assertThat(login(TestController.ADMIN, "--key-stdin").code()).isZero();
        Result viewer = new VineRun(home).run("login", "--server", controller.url(), "--name", "viewer",
                "--key-command", "printf %s " + TestController.VIEWER);
        assertThat(viewer.code()).as(viewer.toString()).isZero();
        assertThat(viewer.err()).contains("context 'viewer'");

        Result list = new VineRun(home).env("COLUMNS", "200").run("context", "list");
        assertThat(list.out()).containsPattern("\\*\\s+viewer").contains("(command)");
        assertThat(Files.exists(configFile())).isTrue();

        Result create = new VineRun(home).run("task", "create", "--type", "docs", "--repo", "https://git.example.com/a/b.git", "--title", "t");
        assertThat(create.code()).as("the viewer context may not create").isEqualTo(ExitCodes.AUTH);
        assertThat(new VineRun(home).run("--context", "default", "task", "create", "--type", "docs",
                "--repo", "https://git.example.com/a/b.git", "--title", "t").code()).isZero();

        assertThat(new VineRun(home).run("context", "use", "default").code()).isZero();
        assertThat(new VineRun(home).run("context", "list", "-o", "json").json().findValuesAsText("current")).containsExactly("*", "");
        assertThat(new VineRun(home).run("context", "use", "nope").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(new VineRun(home).run("--context", "nope", "task", "list").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void a_flag_wins_over_the_environment_which_wins_over_the_context() {
        assertThat(login(TestController.ADMIN, "--key-stdin").code()).isZero();
        assertThat(new VineRun(home).env("VINE_KEY", "env-bad-key").run("task", "list").code())
                .as("VINE_KEY over the context's key").isEqualTo(ExitCodes.AUTH);
        assertThat(new VineRun(home).env("VINE_KEY", "env-bad-key").run("--key", TestController.ADMIN, "task", "list").code())
                .as("--key over VINE_KEY").isZero();
        assertThat(new VineRun(home).env("VINE_SERVER", "http://127.0.0.1:1").run("task", "list").code())
                .as("VINE_SERVER over the context's server").isEqualTo(ExitCodes.ERROR);
        assertThat(new VineRun(home).env("VINE_SERVER", "http://127.0.0.1:1").run("task", "list", "--server", controller.url()).code())
                .as("--server over VINE_SERVER").isZero();
        assertThat(new VineRun(home).run("--server", "not a url", "task", "list").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void a_connection_never_shows_its_key() {
        Connection c = Connection.resolve(null, "s3cret", null, VineRun.io(home), VineConfig.empty());
        assertThat(c.toString()).doesNotContain("s3cret").contains("****");
        assertThat(c.server().toString()).isEqualTo(Connection.DEFAULT_SERVER);
    }
}
