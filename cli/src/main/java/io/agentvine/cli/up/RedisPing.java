package io.agentvine.cli.up;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocketFactory;

/**
 * Does a Redis answer? One {@code PING} (after {@code AUTH} when the URL carries a password), sent as
 * a RESP array, with short timeouts. This is all {@code vine up} asks of Redis: the command
 * line carries no Redis client (the controller and the workers have Lettuce).
 */
public final class RedisPing {
    private static final int TIMEOUT_MS = 3000;

    private RedisPing() {
    }

    /** True when the server at {@code url} ({@code redis://[user:password@]host[:port]}, or {@code rediss://}) answers PONG. */
    public static boolean ping(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        boolean tls = "rediss".equals(uri.getScheme());
        if (!tls && !"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            return false;
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 6379;
        try (Socket socket = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream o = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String userInfo = uri.getRawUserInfo();
            if (userInfo != null && !userInfo.isEmpty()) {
                int colon = userInfo.indexOf(':');
                String user = colon < 0 ? "" : decode(userInfo.substring(0, colon));
                String password = decode(colon < 0 ? userInfo : userInfo.substring(colon + 1));
                o.write(command(user.isEmpty() ? new String[] {"AUTH", password} : new String[] {"AUTH", user, password}));
                o.flush();
                if (!String.valueOf(in.readLine()).startsWith("+OK")) {
                    return false;
                }
            }
            o.write(command(new String[] {"PING"}));
            o.flush();
            return String.valueOf(in.readLine()).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** A command as a RESP array of bulk strings (safe for any password). */
    private static byte[] command(String[] words) {
        StringBuilder b = new StringBuilder("*").append(words.length).append("\r\n");
        for (String w : words) {
            b.append('$').append(w.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(w).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
