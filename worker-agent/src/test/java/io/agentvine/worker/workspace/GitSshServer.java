package io.agentvine.worker.workspace;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * A real git-over-SSH server on the loopback for tests: Apache MINA sshd (which JGit's SSH client is
 * built on, so it is on the classpath anyway) accepting exactly one public key, running {@code
 * git-upload-pack} / {@code git-receive-pack} on the bare repositories below {@code root} for
 * {@code ssh://git@127.0.0.1:<port>/<name>}. Password attempts are refused and recorded, so a test
 * can show that nothing was offered as a password.
 */
public final class GitSshServer implements AutoCloseable {
    private static final Pattern GIT_COMMAND = Pattern.compile("(git-upload-pack|git-receive-pack) '?/?([^']+?)'?");

    private final SshServer sshd;
    private final Path root;
    private final PublicKey hostKey;
    private final List<String> passwordAttempts = new CopyOnWriteArrayList<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();

    /** Starts serving at once; {@code clientKey} is the one public key (a {@code .pub} file) let in. */
    public GitSshServer(Path root, Path clientPublicKey) throws IOException, GeneralSecurityException {
        this.root = root.toAbsolutePath();
        PublicKey allowed = AuthorizedKeyEntry.readAuthorizedKeys(clientPublicKey).get(0)
                .resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(256);
        KeyPair host = gen.generateKeyPair();
        this.hostKey = host.getPublic();
        sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(host));
        sshd.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(allowed, key));
        sshd.setPasswordAuthenticator((user, password, session) -> {
            passwordAttempts.add(user);
            return false;
        });
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setCommandFactory((channel, command) -> new GitCommand(command));
        sshd.start();
    }

    /** Makes a key pair with {@code ssh-keygen} (no passphrase): {@code dir/id_ecdsa} and {@code dir/id_ecdsa.pub}. */
    public static Path newClientKey(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path key = dir.resolve("id_ecdsa");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-C", "agentvine-test",
                "-f", key.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("ssh-keygen failed: " + out);
        }
        return key;
    }

    public String url(String name) {
        return "ssh://git@127.0.0.1:" + sshd.getPort() + "/" + name;
    }

    /** A known_hosts line for this server's host key. */
    public String knownHostsLine() {
        return "[127.0.0.1]:" + sshd.getPort() + " " + PublicKeyEntry.toString(hostKey);
    }

    public List<String> passwordAttempts() {
        return List.copyOf(passwordAttempts);
    }

    /** The git commands run, e.g. {@code git-receive-pack '/shop.git'}. */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    @Override
    public void close() throws IOException {
        sshd.stop(true);
    }

    /** Runs one git service process and wires it to the channel's streams. */
    private final class GitCommand implements Command {
        private final String command;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;
        private Process process;

        GitCommand(String command) {
            this.command = command;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback exit) {
            this.exit = exit;
        }

        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
            commands.add(command);
            Matcher m = GIT_COMMAND.matcher(command);
            Path repo = m.matches() ? root.resolve(m.group(2)).normalize() : null;
            if (repo == null || !repo.startsWith(root)) {
                err.write(("not a git command: " + command + "\n").getBytes());
                err.flush();
                exit.onExit(1, "not a git command");
                return;
            }
            process = new ProcessBuilder("git", m.group(1).substring("git-".length()), repo.toString()).start();
            Thread stdin = pump(in, process.getOutputStream(), true, "git-ssh-stdin");
            Thread stderr = pump(process.getErrorStream(), err, false, "git-ssh-stderr");
            Thread stdout = new Thread(() -> {
                try {
                    process.getInputStream().transferTo(new FlushingStream(out));
                    stderr.join(10_000);
                    exit.onExit(process.waitFor());
                } catch (IOException e) {
                    exit.onExit(1, e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stdin.interrupt();
            }, "git-ssh-stdout");
            stdout.setDaemon(true);
            stdout.start();
        }

        @Override
        public void destroy(ChannelSession channel) {
            if (process != null) {
                process.destroyForcibly();
            }
        }
    }

    private static Thread pump(InputStream from, OutputStream to, boolean closeWhenDone, String name) {
        Thread t = new Thread(() -> {
            try {
                byte[] buf = new byte[8192];
                for (int n = from.read(buf); n >= 0; n = from.read(buf)) {
                    to.write(buf, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // The other side went away: the git process or the channel ended.
            } finally {
                if (closeWhenDone) {
                    try {
                        to.close();
                    } catch (IOException ignored) {
                        // already closed
                    }
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** git speaks in packets and waits for answers: every write must reach the client at once. */
    private static final class FlushingStream extends OutputStream {
        private final OutputStream out;

        FlushingStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            out.flush();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            out.flush();
        }
    }
}
