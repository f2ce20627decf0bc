package io.agentvine.worker.process;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;

/**
 * Splits characters into lines the way {@link java.io.BufferedReader#readLine()} does ({@code \n},
 * {@code \r} or {@code \r\n} end a line; a last line without one counts), except that a line longer
 * than {@code maxChars} comes in pieces of at most that length: an agent printing a huge blob without
 * a newline must not exhaust the worker's heap.
 */
final class LineReader implements Closeable {
    private final Reader in;
    private final int maxChars;
    private final char[] buf = new char[8192];
    private int pos;
    private int end;
    private boolean skipLf;
    // The previous piece was cut at maxChars: a terminator right after it ends that line, not an empty one.
    private boolean afterCut;

    LineReader(Reader in, int maxChars) {
        if (maxChars < 2) {
            throw new IllegalArgumentException("maxChars must be at least 2: " + maxChars);
        }
        this.in = in;
        this.maxChars = maxChars;
    }

    /** The next line or piece of one; null at the end of the input. */
    String readLine() throws IOException {
        StringBuilder line = null;
        while (true) {
            if (pos == end) {
                int n = in.read(buf, 0, buf.length);
                if (n < 0) {
                    return line == null ? null : line.toString();
                }
                pos = 0;
                end = n;
                continue;
            }
            char c = buf[pos];
            if (skipLf) {
                skipLf = false;
                if (c == '\n') {
                    pos++;
                    continue;
                }
            }
            if (c == '\n' || c == '\r') {
                pos++;
                skipLf = c == '\r';
                if (line == null && afterCut) {
                    afterCut = false;
                    continue;
                }
                afterCut = false;
                return line == null ? "" : line.toString();
            }
            afterCut = false;
            if (line == null) {
                line = new StringBuilder(Math.min(maxChars, 128));
            }
            int start = pos;
            int limit = Math.min(end, pos + maxChars - line.length());
            while (pos < limit && buf[pos] != '\n' && buf[pos] != '\r') {
                pos++;
            }
            line.append(buf, start, pos - start);
            if (line.length() >= maxChars) {
                if (Character.isHighSurrogate(line.charAt(line.length() - 1))) {
                    // Never cut a surrogate pair: both halves go into the next piece.
                    line.setLength(line.length() - 1);
                    pos--;
                }
                afterCut = true;
                return line.toString();
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
