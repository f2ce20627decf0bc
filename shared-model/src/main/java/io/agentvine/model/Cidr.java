package io.agentvine.model;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/** An address range (IPv4 or IPv6) with a label saying what it is. */
record Cidr(byte[] network, int prefix, String label) {

    /**
     * {@code 10.0.0.0/8}, {@code fc00::/7} or a bare address (one address); null when the text is a name.
     *
     * @throws IllegalArgumentException for a malformed address or prefix length
     */
    static Cidr parse(String text, String label) {
        int slash = text.indexOf('/');
        byte[] address = IpLiterals.parse(slash < 0 ? text : text.substring(0, slash));
        if (address == null) {
            return null;
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("has a prefix length outside 0-" + bits);
            }
        }
        return new Cidr(address, prefix, label);
    }

    /** Ranges written as "cidr label words". */
    static List<Cidr> list(String... specs) {
        return Arrays.stream(specs).map(s -> {
            int space = s.indexOf(' ');
            return parse(s.substring(0, space), s.substring(space + 1));
        }).toList();
    }

    boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The IPv4 address inside an IPv6 one that carries it to an IPv4 host (mapped ::ffff:0:0/96,
     * compatible ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16); any other address unchanged.
     */
    static byte[] embeddedIpv4(byte[] a) {
        if (a.length != 16) {
            return a;
        }
        boolean zeros80 = Arrays.equals(a, 0, 10, new byte[10], 0, 10);
        boolean mapped = zeros80 && a[10] == (byte) 0xff && a[11] == (byte) 0xff;
        boolean compatible = zeros80 && a[10] == 0 && a[11] == 0 && (a[12] | a[13] | a[14]) != 0;
        boolean nat64 = Arrays.equals(a, 0, 12, new byte[] {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0}, 0, 12);
        if (mapped || compatible || nat64) {
            return Arrays.copyOfRange(a, 12, 16);
        }
        if (a[0] == 0x20 && a[1] == 0x02) {
            return Arrays.copyOfRange(a, 2, 6);
        }
        return a;
    }

    static String format(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
