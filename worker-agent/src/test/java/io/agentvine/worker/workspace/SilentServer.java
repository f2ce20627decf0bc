package io.agentvine.worker.workspace;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP server on 127.0.0.1 that accepts every connection and then never reads or writes: a git
 * server, HTTP server or API that has hung. {@link #close()} closes the listener and every accepted socket.
 */
public final class SilentServer implements AutoCloseable {
    private final ServerSocket listener;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    public SilentServer() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(listener.accept());
                }
            } catch (IOException closed) {
                // close() ends the loop
            }
        }, "silent-server-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** {@code scheme://127.0.0.1:port/path}. */
    public String url(String scheme, String path) {
        return scheme + "://127.0.0.1:" + port() + "/" + path;
    }

    /** Connections accepted so far. */
    public int connections() {
        return accepted.size();
    }

    @Override
    public void close() throws Exception {
        listener.close();
        acceptor.join(5_000);
        for (Socket s : accepted) {
            s.close();
        }
    }
}
