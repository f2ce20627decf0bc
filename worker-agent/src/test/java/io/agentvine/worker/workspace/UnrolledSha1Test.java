package io.agentvine.worker.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UnrolledSha1Test {
    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static byte[] sha1(byte[] data) {
        UnrolledSha1 d = new UnrolledSha1();
        d.engineUpdate(data, 0, data.length);
        return d.engineDigest();
    }

    @Test
    void nist_vectors() {
        assertThat(hex(sha1(new byte[0]))).isEqualTo("da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assertThat(hex(sha1("abc".getBytes(StandardCharsets.US_ASCII)))).isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
        assertThat(hex(sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("84983e441c3bd26ebaae4aa1f95129e5e54670f1");
        UnrolledSha1 million = new UnrolledSha1();
        byte[] a = "a".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 1000; i++) {
            million.engineUpdate(a, 0, a.length);
        }
        assertThat(hex(million.engineDigest())).isEqualTo("34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    }

    @Test
    void git_blob_id() {
        // `printf 'hello\n' | git hash-object --stdin`
        assertThat(hex(sha1("blob 6\0hello\n".getBytes(StandardCharsets.US_ASCII)))).isEqualTo("ce013625030ba8dba906f756967f9e9ca394464a");
    }

    @Test
    void equals_the_jdks_for_every_length_fed_in_random_pieces() throws Exception {
        Random random = new Random(2026);
        MessageDigest jdk = MessageDigest.getInstance("SHA-1", "SUN");
        UnrolledSha1 ours = new UnrolledSha1();
        for (int length = 0; length <= 4096; length++) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            int at = 0;
            while (at < length) {
                int n = Math.min(length - at, random.nextInt(150));
                if (n == 1) {
                    ours.engineUpdate(data[at]);
                } else {
                    ours.engineUpdate(data, at, n);
                }
                at += n;
            }
            assertThat(ours.engineDigest()).as("length %d", length).isEqualTo(jdk.digest(data));
        }
    }

    @Test
    void a_clone_continues_independently_and_a_digest_resets() throws Exception {
        byte[] data = new byte[1000];
        new Random(1).nextBytes(data);
        UnrolledSha1 d = new UnrolledSha1();
        d.engineUpdate(data, 0, 100);
        UnrolledSha1 copy = (UnrolledSha1) d.clone();
        d.engineUpdate(data, 100, 900);
        copy.engineUpdate(new byte[5], 0, 5);
        assertThat(d.engineDigest()).isEqualTo(sha1(data));
        byte[] prefix = new byte[105];
        System.arraycopy(data, 0, prefix, 0, 100);
        assertThat(copy.engineDigest()).isEqualTo(sha1(prefix));
        d.engineUpdate(data, 0, 3);
        assertThat(hex(d.engineDigest())).as("after a digest it starts over").isEqualTo(hex(sha1(new byte[] {data[0], data[1], data[2]})));
    }
}
