package io.agentvine.model;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Reads a host as an IP address in every spelling that git's transports (libcurl, OpenSSH, glibc's
 * inet_aton) or Java accept: dotted quads, short forms (127.1), single integers (2852039166), octal
 * (0177.0.0.1) and hexadecimal (0x7f.1) parts, bracketed IPv6 with or without a zone, and IPv4
 * embedded in IPv6. No name is ever resolved.
 */
final class IpLiterals {
    private IpLiterals() {
    }

    /**
     * The address's 4 or 16 bytes, or null when the host is a name rather than an address.
     *
     * @throws IllegalArgumentException for something shaped like an address that is not one (an
     *                                  IPv6 literal that does not parse, an IPv4 part out of range)
     */
    static byte[] parse(String host) {
        String h = host;
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.contains(":")) {
            return ipv6(h);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return ipv4(h);
    }

    private static byte[] ipv6(String literal) {
        int zone = literal.indexOf('%');
        String address = zone < 0 ? literal : literal.substring(0, zone);
        if (!address.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("'" + literal + "' is not a valid IPv6 address");
        }
        try {
            // A string with ':' is only ever parsed as a literal by InetAddress, never looked up.
            byte[] bytes = InetAddress.getByName(address).getAddress();
            if (bytes.length == 4) { // Java folds ::ffff:a.b.c.d into an Inet4Address
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(bytes, 0, mapped, 12, 4);
                return mapped;
            }
            return bytes;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + literal + "' is not a valid IPv6 address");
        }
    }

    /** inet_aton: 1 to 4 parts, each decimal, 0-prefixed octal or 0x-prefixed hex; the last fills the rest. */
    private static byte[] ipv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return null;
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Long v = number(parts[i].toLowerCase(Locale.ROOT));
            if (v == null) {
                return null;
            }
            values[i] = v;
        }
        long address = 0;
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 0xff) {
                throw new IllegalArgumentException("'" + host + "' is not a valid IPv4 address");
            }
            address |= values[i] << (24 - 8 * i);
        }
        long last = values[values.length - 1];
        if (last >= 1L << (8 * (5 - values.length))) {
            throw new IllegalArgumentException("'" + host + "' is not a valid IPv4 address");
        }
        address |= last;
        return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    }

    private static Long number(String part) {
        int radix = 10;
        String digits = part;
        if (part.startsWith("0x")) {
            radix = 16;
            digits = part.substring(2);
            if (digits.isEmpty()) {
                return 0L; // inet_aton reads "0x" as 0
            }
        } else if (part.length() > 1 && part.startsWith("0")) {
            radix = 8;
            digits = part.substring(1);
        }
        if (digits.isEmpty()) {
            return null;
        }
        for (char c : digits.toCharArray()) {
            if (Character.digit(c, radix) < 0) {
                return null;
            }
        }
        // Longer than any 32-bit value in any radix: out of range, reported by the caller.
        return digits.length() > 12 ? Long.MAX_VALUE : Long.parseLong(digits, radix);
    }
}
