package io.agentvine.worker.workspace;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.BasePackFetchConnection;
import org.eclipse.jgit.transport.BasePackPushConnection;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.GitProtocolConstants;
import org.eclipse.jgit.transport.PackTransport;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.PushConnection;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TcpTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportProtocol;
import org.eclipse.jgit.transport.URIish;

/**
 * {@code git://} (a git daemon) with a read-idle timeout that works. JGit's own git:// transport
 * times a read out by interrupting the reading thread, and since JDK 13 (NioSocketImpl) an interrupt
 * does not wake a thread blocked in a socket read: a daemon that accepted the connection and then
 * said nothing held the clone forever. This one is JGit's, except that the socket itself has the
 * transport's timeout ({@code SO_TIMEOUT}) as well as its connect timeout. It speaks protocol v2
 * for fetches, JGit's default (a daemon older than git 2.18 answers in v0, which JGit reads too).
 *
 * <p>{@link #register()} puts it ahead of JGit's git:// transport for the whole JVM, once.
 */
final class GitDaemonTransport extends TcpTransport implements PackTransport {
    private static final int GIT_PORT = 9418;
    /** JGit holds registered protocols weakly: this keeps ours. */
    private static final TransportProtocol PROTOCOL = new TransportProtocol() {
        @Override
        public String getName() {
            return "Anonymous Git (with read timeout)";
        }

        @Override
        public Set<String> getSchemes() {
            return Set.of("git");
        }

        @Override
        public Set<URIishField> getRequiredFields() {
            return EnumSet.of(URIishField.HOST, URIishField.PATH);
        }

        @Override
        public Set<URIishField> getOptionalFields() {
            return EnumSet.of(URIishField.PORT);
        }

        @Override
        public int getDefaultPort() {
            return GIT_PORT;
        }

        @Override
        public Transport open(URIish uri, Repository local, String remoteName) {
            return new GitDaemonTransport(local, uri);
        }

        @Override
        public Transport open(URIish uri) {
            return new GitDaemonTransport(uri);
        }
    };
    private static volatile boolean registered;

    private GitDaemonTransport(Repository local, URIish uri) {
        super(local, uri);
    }

    /** Without a local repository: ls-remote. */
    private GitDaemonTransport(URIish uri) {
        super(uri);
    }

    /** Makes git:// URLs use this transport (idempotent). */
    static synchronized void register() {
        if (!registered) {
            Transport.register(PROTOCOL);
            registered = true;
        }
    }

    @Override
    public FetchConnection openFetch() throws TransportException {
        return new Fetch(List.of());
    }

    @Override
    public FetchConnection openFetch(Collection<RefSpec> refSpecs, String... additionalPatterns) throws TransportException {
        return new Fetch(refSpecs, additionalPatterns);
    }

    @Override
    public PushConnection openPush() throws TransportException {
        return new Push();
    }

    @Override
    public void close() {
        // each connection owns its socket
    }

    private Socket connect() throws TransportException {
        int ms = getTimeout() > 0 ? getTimeout() * 1000 : 0;
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(InetAddress.getByName(uri.getHost()), uri.getPort() > 0 ? uri.getPort() : GIT_PORT), ms);
            s.setSoTimeout(ms);
            return s;
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new TransportException(uri, e instanceof UnknownHostException ? "unknown host" : String.valueOf(e.getMessage()), e);
        }
    }

    /** The daemon's request line: service, path, host, and for v2 the version. */
    private void request(String service, PacketLineOut out, boolean v2) throws IOException {
        StringBuilder cmd = new StringBuilder(service).append(' ').append(uri.getPath()).append('\0')
                .append("host=").append(uri.getHost());
        if (uri.getPort() > 0 && uri.getPort() != GIT_PORT) {
            cmd.append(':').append(uri.getPort());
        }
        cmd.append('\0');
        if (v2) {
            cmd.append('\0').append(GitProtocolConstants.VERSION_2_REQUEST).append('\0');
        }
        out.writeString(cmd.toString());
        out.flush();
    }

    private static void close(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private final class Fetch extends BasePackFetchConnection {
        private final Socket socket;

        Fetch(Collection<RefSpec> refSpecs, String... additionalPatterns) throws TransportException {
            super(GitDaemonTransport.this);
            socket = connect();
            try {
                init(new BufferedInputStream(socket.getInputStream()), new BufferedOutputStream(socket.getOutputStream()));
                request("git-upload-pack", pckOut, true);
            } catch (IOException e) {
                close();
                throw new TransportException(uri, "the remote end hung up unexpectedly", e);
            }
            if (!readAdvertisedRefs()) {
                lsRefs(refSpecs, additionalPatterns);
            }
        }

        @Override
        public void close() {
            super.close();
            GitDaemonTransport.close(socket);
        }
    }

    private final class Push extends BasePackPushConnection {
        private final Socket socket;

        Push() throws TransportException {
            super(GitDaemonTransport.this);
            socket = connect();
            try {
                init(new BufferedInputStream(socket.getInputStream()), new BufferedOutputStream(socket.getOutputStream()));
                request("git-receive-pack", pckOut, false);
            } catch (IOException e) {
                close();
                throw new TransportException(uri, "the remote end hung up unexpectedly", e);
            }
            readAdvertisedRefs();
        }

        @Override
        public void close() {
            super.close();
            GitDaemonTransport.close(socket);
        }
    }
}
