package io.agentvine.worker.workspace;

import java.security.MessageDigestSpi;
import java.util.Arrays;

/**
 * SHA-1 (FIPS 180-4) for a JVM without the C2 compiler, such as the worker's ({@code
 * -XX:TieredStopAtLevel=1}): there the JDK's SHA-1 runs as C1-compiled Java (its SHA-NI/AVX2
 * intrinsic is C2's) at ~110 MB/s, and so do JGit's (~115 MB/s, without collision detection) and
 * Bouncy Castle's (~115 MB/s). This one runs at ~230 MB/s in C1: the 80 rounds are written out
 * (C1 does not unroll loops) and the message schedule lives in 16 local variables instead of an
 * array (no bounds checks, no stores), the five working variables rename instead of shifting.
 * Under C2 it is slower than the JDK's intrinsic; {@link GitSha1} picks it only without C2.
 * Figures: docs/performance.md. Correctness: {@code UnrolledSha1Test} (NIST vectors, and equality
 * with the JDK's for every length up to 4 KiB in random pieces).
 *
 * <p>Not thread-safe (as every {@link java.security.MessageDigest}).
 */
final class UnrolledSha1 extends MessageDigestSpi implements Cloneable {
    private static final int K0 = 0x5A827999;
    private static final int K1 = 0x6ED9EBA1;
    private static final int K2 = 0x8F1BBCDC;
    private static final int K3 = 0xCA62C1D6;

    private int h0;
    private int h1;
    private int h2;
    private int h3;
    private int h4;
    /** Bytes not yet compressed: fewer than 64. */
    private byte[] block = new byte[64];
    private int blockLength;
    private long length;

    UnrolledSha1() {
        engineReset();
    }

    @Override
    protected int engineGetDigestLength() {
        return 20;
    }

    @Override
    protected void engineReset() {
        h0 = 0x67452301;
        h1 = 0xEFCDAB89;
        h2 = 0x98BADCFE;
        h3 = 0x10325476;
        h4 = 0xC3D2E1F0;
        blockLength = 0;
        length = 0;
    }

    @Override
    protected void engineUpdate(byte input) {
        block[blockLength++] = input;
        length++;
        if (blockLength == 64) {
            compress(block, 0);
            blockLength = 0;
        }
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
        if (offset < 0 || len < 0 || offset > input.length - len) {
            throw new ArrayIndexOutOfBoundsException("offset " + offset + ", length " + len + " of " + input.length + " bytes");
        }
        length += len;
        if (blockLength > 0) {
            int n = Math.min(64 - blockLength, len);
            System.arraycopy(input, offset, block, blockLength, n);
            blockLength += n;
            offset += n;
            len -= n;
            if (blockLength < 64) {
                return;
            }
            compress(block, 0);
            blockLength = 0;
        }
        for (; len >= 64; offset += 64, len -= 64) {
            compress(input, offset);
        }
        System.arraycopy(input, offset, block, 0, len);
        blockLength = len;
    }

    @Override
    protected byte[] engineDigest() {
        long bits = length << 3;
        block[blockLength++] = (byte) 0x80;
        if (blockLength > 56) {
            Arrays.fill(block, blockLength, 64, (byte) 0);
            compress(block, 0);
            blockLength = 0;
        }
        Arrays.fill(block, blockLength, 56, (byte) 0);
        for (int i = 0; i < 8; i++) {
            block[56 + i] = (byte) (bits >>> (56 - 8 * i));
        }
        compress(block, 0);
        byte[] out = new byte[20];
        put(out, 0, h0);
        put(out, 4, h1);
        put(out, 8, h2);
        put(out, 12, h3);
        put(out, 16, h4);
        engineReset();
        return out;
    }

    @Override
    public Object clone() throws CloneNotSupportedException {
        UnrolledSha1 copy = (UnrolledSha1) super.clone();
        copy.block = block.clone();
        return copy;
    }

    private static void put(byte[] out, int offset, int word) {
        out[offset] = (byte) (word >>> 24);
        out[offset + 1] = (byte) (word >>> 16);
        out[offset + 2] = (byte) (word >>> 8);
        out[offset + 3] = (byte) word;
    }

    /** One 64-byte block at {@code p[o]}: the 80 rounds written out, the schedule in 16 locals. */
    private void compress(byte[] p, int o) {
        int w0 = (p[o + 0] << 24) | ((p[o + 1] & 0xff) << 16) | ((p[o + 2] & 0xff) << 8) | (p[o + 3] & 0xff);
        int w1 = (p[o + 4] << 24) | ((p[o + 5] & 0xff) << 16) | ((p[o + 6] & 0xff) << 8) | (p[o + 7] & 0xff);
        int w2 = (p[o + 8] << 24) | ((p[o + 9] & 0xff) << 16) | ((p[o + 10] & 0xff) << 8) | (p[o + 11] & 0xff);
        int w3 = (p[o + 12] << 24) | ((p[o + 13] & 0xff) << 16) | ((p[o + 14] & 0xff) << 8) | (p[o + 15] & 0xff);
        int w4 = (p[o + 16] << 24) | ((p[o + 17] & 0xff) << 16) | ((p[o + 18] & 0xff) << 8) | (p[o + 19] & 0xff);
        int w5 = (p[o + 20] << 24) | ((p[o + 21] & 0xff) << 16) | ((p[o + 22] & 0xff) << 8) | (p[o + 23] & 0xff);
        int w6 = (p[o + 24] << 24) | ((p[o + 25] & 0xff) << 16) | ((p[o + 26] & 0xff) << 8) | (p[o + 27] & 0xff);
        int w7 = (p[o + 28] << 24) | ((p[o + 29] & 0xff) << 16) | ((p[o + 30] & 0xff) << 8) | (p[o + 31] & 0xff);
        int w8 = (p[o + 32] << 24) | ((p[o + 33] & 0xff) << 16) | ((p[o + 34] & 0xff) << 8) | (p[o + 35] & 0xff);
        int w9 = (p[o + 36] << 24) | ((p[o + 37] & 0xff) << 16) | ((p[o + 38] & 0xff) << 8) | (p[o + 39] & 0xff);
        int w10 = (p[o + 40] << 24) | ((p[o + 41] & 0xff) << 16) | ((p[o + 42] & 0xff) << 8) | (p[o + 43] & 0xff);
        int w11 = (p[o + 44] << 24) | ((p[o + 45] & 0xff) << 16) | ((p[o + 46] & 0xff) << 8) | (p[o + 47] & 0xff);
        int w12 = (p[o + 48] << 24) | ((p[o + 49] & 0xff) << 16) | ((p[o + 50] & 0xff) << 8) | (p[o + 51] & 0xff);
        int w13 = (p[o + 52] << 24) | ((p[o + 53] & 0xff) << 16) | ((p[o + 54] & 0xff) << 8) | (p[o + 55] & 0xff);
        int w14 = (p[o + 56] << 24) | ((p[o + 57] & 0xff) << 16) | ((p[o + 58] & 0xff) << 8) | (p[o + 59] & 0xff);
        int w15 = (p[o + 60] << 24) | ((p[o + 61] & 0xff) << 16) | ((p[o + 62] & 0xff) << 8) | (p[o + 63] & 0xff);
        int a = h0;
        int b = h1;
        int c = h2;
        int d = h3;
        int e = h4;
        // rounds 0-19: Ch(b, c, d)
        e += Integer.rotateLeft(a, 5) + ((b & c) | (~b & d)) + K0 + w0;
        b = Integer.rotateLeft(b, 30);
        d += Integer.rotateLeft(e, 5) + ((a & b) | (~a & c)) + K0 + w1;
        a = Integer.rotateLeft(a, 30);
        c += Integer.rotateLeft(d, 5) + ((e & a) | (~e & b)) + K0 + w2;
        e = Integer.rotateLeft(e, 30);
        b += Integer.rotateLeft(c, 5) + ((d & e) | (~d & a)) + K0 + w3;
        d = Integer.rotateLeft(d, 30);
        a += Integer.rotateLeft(b, 5) + ((c & d) | (~c & e)) + K0 + w4;
        c = Integer.rotateLeft(c, 30);
        e += Integer.rotateLeft(a, 5) + ((b & c) | (~b & d)) + K0 + w5;
        b = Integer.rotateLeft(b, 30);
        d += Integer.rotateLeft(e, 5) + ((a & b) | (~a & c)) + K0 + w6;
        a = Integer.rotateLeft(a, 30);
        c += Integer.rotateLeft(d, 5) + ((e & a) | (~e & b)) + K0 + w7;
        e = Integer.rotateLeft(e, 30);
        b += Integer.rotateLeft(c, 5) + ((d & e) | (~d & a)) + K0 + w8;
        d = Integer.rotateLeft(d, 30);
        a += Integer.rotateLeft(b, 5) + ((c & d) | (~c & e)) + K0 + w9;
        c = Integer.rotateLeft(c, 30);
        e += Integer.rotateLeft(a, 5) + ((b & c) | (~b & d)) + K0 + w10;
        b = Integer.rotateLeft(b, 30);
        d += Integer.rotateLeft(e, 5) + ((a & b) | (~a & c)) + K0 + w11;
        a = Integer.rotateLeft(a, 30);
        c += Integer.rotateLeft(d, 5) + ((e & a) | (~e & b)) + K0 + w12;
        e = Integer.rotateLeft(e, 30);
        b += Integer.rotateLeft(c, 5) + ((d & e) | (~d & a)) + K0 + w13;
        d = Integer.rotateLeft(d, 30);
        a += Integer.rotateLeft(b, 5) + ((c & d) | (~c & e)) + K0 + w14;
        c = Integer.rotateLeft(c, 30);
        e += Integer.rotateLeft(a, 5) + ((b & c) | (~b & d)) + K0 + w15;
        b = Integer.rotateLeft(b, 30);
        w0 = Integer.rotateLeft(w13 ^ w8 ^ w2 ^ w0, 1);
        d += Integer.rotateLeft(e, 5) + ((a & b) | (~a & c)) + K0 + w0;
        a = Integer.rotateLeft(a, 30);
        w1 = Integer.rotateLeft(w14 ^ w9 ^ w3 ^ w1, 1);
        c += Integer.rotateLeft(d, 5) + ((e & a) | (~e & b)) + K0 + w1;
        e = Integer.rotateLeft(e, 30);
        w2 = Integer.rotateLeft(w15 ^ w10 ^ w4 ^ w2, 1);
        b += Integer.rotateLeft(c, 5) + ((d & e) | (~d & a)) + K0 + w2;
        d = Integer.rotateLeft(d, 30);
        w3 = Integer.rotateLeft(w0 ^ w11 ^ w5 ^ w3, 1);
        a += Integer.rotateLeft(b, 5) + ((c & d) | (~c & e)) + K0 + w3;
        c = Integer.rotateLeft(c, 30);
        // rounds 20-39: Parity
        w4 = Integer.rotateLeft(w1 ^ w12 ^ w6 ^ w4, 1);
        e += Integer.rotateLeft(a, 5) + (b ^ c ^ d) + K1 + w4;
        b = Integer.rotateLeft(b, 30);
        w5 = Integer.rotateLeft(w2 ^ w13 ^ w7 ^ w5, 1);
        d += Integer.rotateLeft(e, 5) + (a ^ b ^ c) + K1 + w5;
        a = Integer.rotateLeft(a, 30);
        w6 = Integer.rotateLeft(w3 ^ w14 ^ w8 ^ w6, 1);
        c += Integer.rotateLeft(d, 5) + (e ^ a ^ b) + K1 + w6;
        e = Integer.rotateLeft(e, 30);
        w7 = Integer.rotateLeft(w4 ^ w15 ^ w9 ^ w7, 1);
        b += Integer.rotateLeft(c, 5) + (d ^ e ^ a) + K1 + w7;
        d = Integer.rotateLeft(d, 30);
        w8 = Integer.rotateLeft(w5 ^ w0 ^ w10 ^ w8, 1);
        a += Integer.rotateLeft(b, 5) + (c ^ d ^ e) + K1 + w8;
        c = Integer.rotateLeft(c, 30);
        w9 = Integer.rotateLeft(w6 ^ w1 ^ w11 ^ w9, 1);
        e += Integer.rotateLeft(a, 5) + (b ^ c ^ d) + K1 + w9;
        b = Integer.rotateLeft(b, 30);
        w10 = Integer.rotateLeft(w7 ^ w2 ^ w12 ^ w10, 1);
        d += Integer.rotateLeft(e, 5) + (a ^ b ^ c) + K1 + w10;
        a = Integer.rotateLeft(a, 30);
        w11 = Integer.rotateLeft(w8 ^ w3 ^ w13 ^ w11, 1);
        c += Integer.rotateLeft(d, 5) + (e ^ a ^ b) + K1 + w11;
        e = Integer.rotateLeft(e, 30);
        w12 = Integer.rotateLeft(w9 ^ w4 ^ w14 ^ w12, 1);
        b += Integer.rotateLeft(c, 5) + (d ^ e ^ a) + K1 + w12;
        d = Integer.rotateLeft(d, 30);
        w13 = Integer.rotateLeft(w10 ^ w5 ^ w15 ^ w13, 1);
        a += Integer.rotateLeft(b, 5) + (c ^ d ^ e) + K1 + w13;
        c = Integer.rotateLeft(c, 30);
        w14 = Integer.rotateLeft(w11 ^ w6 ^ w0 ^ w14, 1);
        e += Integer.rotateLeft(a, 5) + (b ^ c ^ d) + K1 + w14;
        b = Integer.rotateLeft(b, 30);
        w15 = Integer.rotateLeft(w12 ^ w7 ^ w1 ^ w15, 1);
        d += Integer.rotateLeft(e, 5) + (a ^ b ^ c) + K1 + w15;
        a = Integer.rotateLeft(a, 30);
        w0 = Integer.rotateLeft(w13 ^ w8 ^ w2 ^ w0, 1);
        c += Integer.rotateLeft(d, 5) + (e ^ a ^ b) + K1 + w0;
        e = Integer.rotateLeft(e, 30);
        w1 = Integer.rotateLeft(w14 ^ w9 ^ w3 ^ w1, 1);
        b += Integer.rotateLeft(c, 5) + (d ^ e ^ a) + K1 + w1;
        d = Integer.rotateLeft(d, 30);
        w2 = Integer.rotateLeft(w15 ^ w10 ^ w4 ^ w2, 1);
        a += Integer.rotateLeft(b, 5) + (c ^ d ^ e) + K1 + w2;
        c = Integer.rotateLeft(c, 30);
        w3 = Integer.rotateLeft(w0 ^ w11 ^ w5 ^ w3, 1);
        e += Integer.rotateLeft(a, 5) + (b ^ c ^ d) + K1 + w3;
        b = Integer.rotateLeft(b, 30);
        w4 = Integer.rotateLeft(w1 ^ w12 ^ w6 ^ w4, 1);
        d += Integer.rotateLeft(e, 5) + (a ^ b ^ c) + K1 + w4;
        a = Integer.rotateLeft(a, 30);
        w5 = Integer.rotateLeft(w2 ^ w13 ^ w7 ^ w5, 1);
        c += Integer.rotateLeft(d, 5) + (e ^ a ^ b) + K1 + w5;
        e = Integer.rotateLeft(e, 30);
        w6 = Integer.rotateLeft(w3 ^ w14 ^ w8 ^ w6, 1);
        b += Integer.rotateLeft(c, 5) + (d ^ e ^ a) + K1 + w6;
        d = Integer.rotateLeft(d, 30);
        w7 = Integer.rotateLeft(w4 ^ w15 ^ w9 ^ w7, 1);
        a += Integer.rotateLeft(b, 5) + (c ^ d ^ e) + K1 + w7;
        c = Integer.rotateLeft(c, 30);
        // rounds 40-59: Maj(b, c, d)
        w8 = Integer.rotateLeft(w5 ^ w0 ^ w10 ^ w8, 1);
        e += Integer.rotateLeft(a, 5) + ((b & c) | (b & d) | (c & d)) + K2 + w8;
        b = Integer.rotateLeft(b, 30);
        w9 = Integer.rotateLeft(w6 ^ w1 ^ w11 ^ w9, 1);
        d += Integer.rotateLeft(e, 5) + ((a & b) | (a & c) | (b & c)) + K2 + w9;
        a = Integer.rotateLeft(a, 30);
        w10 = Integer.rotateLeft(w7 ^ w2 ^ w12 ^ w10, 1);
        c += Integer.rotateLeft(d, 5) + ((e & a) | (e & b) | (a & b)) + K2 + w10;
        e = Integer.rotateLeft(e, 30);
        w11 = Integer.rotateLeft(w8 ^ w3 ^ w13 ^ w11, 1);
        b += Integer.rotateLeft(c, 5) + ((d & e) | (d & a) | (e & a)) + K2 + w11;
        d = Integer.rotateLeft(d, 30);
        w12 = Integer.rotateLeft(w9 ^ w4 ^ w14 ^ w12, 1);
        a += Integer.rotateLeft(b, 5) + ((c & d) | (c & e) | (d & e)) + K2 + w12;
        c = Integer.rotateLeft(c, 30);
        w13 = Integer.rotateLeft(w10 ^ w5 ^ w15 ^ w13, 1);
        e += Integer.rotateLeft(a, 5) + ((b & c) | (b & d) | (c & d)) + K2 + w13;
        b = Integer.rotateLeft(b, 30);
        w14 = Integer.rotateLeft(w11 ^ w6 ^ w0 ^ w14, 1);
        d += Integer.rotateLeft(e, 5) + ((a & b) | (a & c) | (b & c)) + K2 + w14;
        a = Integer.rotateLeft(a, 30);
        w15 = Integer.rotateLeft(w12 ^ w7 ^ w1 ^ w15, 1);
        c += Integer.rotateLeft(d, 5) + ((e & a) | (e & b) | (a & b)) + K2 + w15;
        e = Integer.rotateLeft(e, 30);
        w0 = Integer.rotateLeft(w13 ^ w8 ^ w2 ^ w0, 1);
        b += Integer.rotateLeft(c, 5) + ((d & e) | (d & a) | (e & a)) + K2 + w0;
        d = Integer.rotateLeft(d, 30);
        w1 = Integer.rotateLeft(w14 ^ w9 ^ w3 ^ w1, 1);
        a += Integer.rotateLeft(b, 5) + ((c & d) | (c & e) | (d & e)) + K2 + w1;
        c = Integer.rotateLeft(c, 30);
        w2 = Integer.rotateLeft(w15 ^ w10 ^ w4 ^ w2, 1);
        e += Integer.rotateLeft(a, 5) + ((b & c) | (b & d) | (c & d)) + K2 + w2;
        b = Integer.rotateLeft(b, 30);
        w3 = Integer.rotateLeft(w0 ^ w11 ^ w5 ^ w3, 1);
        d += Integer.rotateLeft(e, 5) + ((a & b) | (a & c) | (b & c)) + K2 + w3;
        a = Integer.rotateLeft(a, 30);
        w4 = Integer.rotateLeft(w1 ^ w12 ^ w6 ^ w4, 1);
        c += Integer.rotateLeft(d, 5) + ((e & a) | (e & b) | (a & b)) + K2 + w4;
        e = Integer.rotateLeft(e, 30);
        w5 = Integer.rotateLeft(w2 ^ w13 ^ w7 ^ w5, 1);
        b += Integer.rotateLeft(c, 5) + ((d & e) | (d & a) | (e & a)) + K2 + w5;
        d = Integer.rotateLeft(d, 30);
        w6 = Integer.rotateLeft(w3 ^ w14 ^ w8 ^ w6, 1);
        a += Integer.rotateLeft(b, 5) + ((c & d) | (c & e) | (d & e)) + K2 + w6;
        c = Integer.rotateLeft(c, 30);
        w7 = Integer.rotateLeft(w4 ^ w15 ^ w9 ^ w7, 1);
        e += Integer.rotateLeft(a, 5) + ((b & c) | (b & d) | (c & d)) + K2 + w7;
        b = Integer.rotateLeft(b, 30);
        w8 = Integer.rotateLeft(w5 ^ w0 ^ w10 ^ w8, 1);
        d += Integer.rotateLeft(e, 5) + ((a & b) | (a & c) | (b & c)) + K2 + w8;
        a = Integer.rotateLeft(a, 30);
        w9 = Integer.rotateLeft(w6 ^ w1 ^ w11 ^ w9, 1);
        c += Integer.rotateLeft(d, 5) + ((e & a) | (e & b) | (a & b)) + K2 + w9;
        e = Integer.rotateLeft(e, 30);
        w10 = Integer.rotateLeft(w7 ^ w2 ^ w12 ^ w10, 1);
        b += Integer.rotateLeft(c, 5) + ((d & e) | (d & a) | (e & a)) + K2 + w10;
        d = Integer.rotateLeft(d, 30);
        w11 = Integer.rotateLeft(w8 ^ w3 ^ w13 ^ w11, 1);
        a += Integer.rotateLeft(b, 5) + ((c & d) | (c & e) | (d & e)) + K2 + w11;
        c = Integer.rotateLeft(c, 30);
        // rounds 60-79: Parity
        w12 = Integer.rotateLeft(w9 ^ w4 ^ w14 ^ w12, 1);
        e += Integer.rotateLeft(a, 5) + (b ^ c ^ d) + K3 + w12;
        b = Integer.rotateLeft(b, 30);
        w13 = Integer.rotateLeft(w10 ^ w5 ^ w15 ^ w13, 1);
        d += Integer.rotateLeft(e, 5) + (a ^ b ^ c) + K3 + w13;
        a = Integer.rotateLeft(a, 30);
        w14 = Integer.rotateLeft(w11 ^ w6 ^ w0 ^ w14, 1);
        c += Integer.rotateLeft(d, 5) + (e ^ a ^ b) + K3 + w14;
        e = Integer.rotateLeft(e, 30);
        w15 = Integer.rotateLeft(w12 ^ w7 ^ w1 ^ w15, 1);
        b += Integer.rotateLeft(c, 5) + (d ^ e ^ a) + K3 + w15;
        d = Integer.rotateLeft(d, 30);
        w0 = Integer.rotateLeft(w13 ^ w8 ^ w2 ^ w0, 1);
        a += Integer.rotateLeft(b, 5) + (c ^ d ^ e) + K3 + w0;
        c = Integer.rotateLeft(c, 30);
        w1 = Integer.rotateLeft(w14 ^ w9 ^ w3 ^ w1, 1);
        e += Integer.rotateLeft(a, 5) + (b ^ c ^ d) + K3 + w1;
        b = Integer.rotateLeft(b, 30);
        w2 = Integer.rotateLeft(w15 ^ w10 ^ w4 ^ w2, 1);
        d += Integer.rotateLeft(e, 5) + (a ^ b ^ c) + K3 + w2;
        a = Integer.rotateLeft(a, 30);
        w3 = Integer.rotateLeft(w0 ^ w11 ^ w5 ^ w3, 1);
        c += Integer.rotateLeft(d, 5) + (e ^ a ^ b) + K3 + w3;
        e = Integer.rotateLeft(e, 30);
        w4 = Integer.rotateLeft(w1 ^ w12 ^ w6 ^ w4, 1);
        b += Integer.rotateLeft(c, 5) + (d ^ e ^ a) + K3 + w4;
        d = Integer.rotateLeft(d, 30);
        w5 = Integer.rotateLeft(w2 ^ w13 ^ w7 ^ w5, 1);
        a += Integer.rotateLeft(b, 5) + (c ^ d ^ e) + K3 + w5;
        c = Integer.rotateLeft(c, 30);
        w6 = Integer.rotateLeft(w3 ^ w14 ^ w8 ^ w6, 1);
        e += Integer.rotateLeft(a, 5) + (b ^ c ^ d) + K3 + w6;
        b = Integer.rotateLeft(b, 30);
        w7 = Integer.rotateLeft(w4 ^ w15 ^ w9 ^ w7, 1);
        d += Integer.rotateLeft(e, 5) + (a ^ b ^ c) + K3 + w7;
        a = Integer.rotateLeft(a, 30);
        w8 = Integer.rotateLeft(w5 ^ w0 ^ w10 ^ w8, 1);
        c += Integer.rotateLeft(d, 5) + (e ^ a ^ b) + K3 + w8;
        e = Integer.rotateLeft(e, 30);
        w9 = Integer.rotateLeft(w6 ^ w1 ^ w11 ^ w9, 1);
        b += Integer.rotateLeft(c, 5) + (d ^ e ^ a) + K3 + w9;
        d = Integer.rotateLeft(d, 30);
        w10 = Integer.rotateLeft(w7 ^ w2 ^ w12 ^ w10, 1);
        a += Integer.rotateLeft(b, 5) + (c ^ d ^ e) + K3 + w10;
        c = Integer.rotateLeft(c, 30);
        w11 = Integer.rotateLeft(w8 ^ w3 ^ w13 ^ w11, 1);
        e += Integer.rotateLeft(a, 5) + (b ^ c ^ d) + K3 + w11;
        b = Integer.rotateLeft(b, 30);
        w12 = Integer.rotateLeft(w9 ^ w4 ^ w14 ^ w12, 1);
        d += Integer.rotateLeft(e, 5) + (a ^ b ^ c) + K3 + w12;
        a = Integer.rotateLeft(a, 30);
        w13 = Integer.rotateLeft(w10 ^ w5 ^ w15 ^ w13, 1);
        c += Integer.rotateLeft(d, 5) + (e ^ a ^ b) + K3 + w13;
        e = Integer.rotateLeft(e, 30);
        w14 = Integer.rotateLeft(w11 ^ w6 ^ w0 ^ w14, 1);
        b += Integer.rotateLeft(c, 5) + (d ^ e ^ a) + K3 + w14;
        d = Integer.rotateLeft(d, 30);
        w15 = Integer.rotateLeft(w12 ^ w7 ^ w1 ^ w15, 1);
        a += Integer.rotateLeft(b, 5) + (c ^ d ^ e) + K3 + w15;
        c = Integer.rotateLeft(c, 30);
        h0 += a;
        h1 += b;
        h2 += c;
        h3 += d;
        h4 += e;
    }
}
