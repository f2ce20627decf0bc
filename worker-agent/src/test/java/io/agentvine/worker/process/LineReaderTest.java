package io.agentvine.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {
    private static List<String> lines(Reader in, int max) throws IOException {
        List<String> out = new ArrayList<>();
        try (LineReader r = new LineReader(in, max)) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                out.add(l);
            }
            assertThat(r.readLine()).isNull();
        }
        return out;
    }

    private static List<String> lines(String text, int max) throws IOException {
        return lines(new StringReader(text), max);
    }

    /** Hands out one character per read, so that every terminator falls on a buffer boundary. */
    private static Reader trickling(String text) {
        return new Reader() {
            private int i;

            @Override
            public int read(char[] buf, int off, int len) {
                if (i == text.length()) {
                    return -1;
                }
                buf[off] = text.charAt(i++);
                return 1;
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void lines_end_at_lf_crlf_or_cr_and_the_last_one_needs_no_terminator() throws IOException {
        assertThat(lines("a\nb\r\nc\rd", 100)).containsExactly("a", "b", "c", "d");
        assertThat(lines(trickling("a\nb\r\nc\rd"), 100)).containsExactly("a", "b", "c", "d");
    }

    @Test
    void empty_lines_are_kept_and_empty_input_has_none() throws IOException {
        assertThat(lines("\n\r\nx\n\n", 100)).containsExactly("", "", "x", "");
        assertThat(lines("", 100)).isEmpty();
    }

    @Test
    void an_over_long_line_comes_in_pieces_of_at_most_the_limit() throws IOException {
        assertThat(lines("abcdefghij\nk", 4)).containsExactly("abcd", "efgh", "ij", "k");
        assertThat(lines(trickling("abcdefghij\nk"), 4)).containsExactly("abcd", "efgh", "ij", "k");
    }

    @Test
    void a_line_of_exactly_the_limit_is_followed_by_no_extra_empty_line() throws IOException {
        assertThat(lines("abcd\nefgh\r\n\nx", 4)).containsExactly("abcd", "efgh", "", "x");
        assertThat(lines(trickling("abcd\r\nefgh\n"), 4)).containsExactly("abcd", "efgh");
    }

    @Test
    void a_surrogate_pair_is_never_cut_in_two() throws IOException {
        String emoji = "\uD83D\uDE00";
        assertThat(lines("ab" + emoji + "c", 3)).containsExactly("ab", emoji + "c");
    }

    @Test
    void a_limit_below_two_is_refused() {
        assertThatThrownBy(() -> new LineReader(new StringReader(""), 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
