package io.agentvine.cli.up;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Is a loopback port taken? (Something accepts a connection on 127.0.0.1 there.) */
public final class Ports {
    private Ports() {
    }

    public static boolean busy(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 300);
            return true;
        } catch (IOException free) {
            return false;
        }
    }
}
