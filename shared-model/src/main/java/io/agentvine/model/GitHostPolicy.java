package io.agentvine.model;

import java.net.IDN;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which hosts a repository may be cloned from. Link-local, cloud-metadata, multicast and
 * "this host" addresses are always refused; loopback and private addresses only when the allow list
 * (host names and CIDRs, e.g. {@code 127.0.0.1/32,git.internal}) admits them; any other host is
 * accepted. Addresses are read in every spelling ({@link IpLiterals}); names are judged as written and
 * never resolved (no I/O here): a public name that resolves to a private address is not caught.
 */
public final class GitHostPolicy {
    /** Names of cloud metadata services (GCP, AWS, Tencent); their addresses are link-local or listed below. */
    private static final Set<String> METADATA_NAMES = Set.of("metadata", "metadata.google.internal", "metadata.goog",
            "instance-data", "instance-data.ec2.internal", "metadata.tencentyun.com");
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "localhost.localdomain", "ip6-localhost",
            "ip6-loopback");
    private static final Pattern SCP_HOST = Pattern.compile("[^@/]+@([^:/]+):.*");

    private static final List<Cidr> ALWAYS_REFUSED = Cidr.list(
            "0.0.0.0/8 'this host' address",
            "169.254.0.0/16 link-local address (cloud metadata services live here)",
            "100.100.100.200/32 cloud metadata address",
            "224.0.0.0/4 multicast address",
            "240.0.0.0/4 reserved address",
            "::/128 unspecified address",
            "fe80::/10 link-local address",
            "fd00:ec2::254/128 cloud metadata address",
            "ff00::/8 multicast address");
    private static final List<Cidr> NEEDS_ALLOWING = Cidr.list(
            "127.0.0.0/8 loopback address",
            "::1/128 loopback address",
            "10.0.0.0/8 private address",
            "172.16.0.0/12 private address",
            "192.168.0.0/16 private address",
            "100.64.0.0/10 shared (carrier-grade NAT) address",
            "fc00::/7 private (unique local) address",
            "fec0::/10 private (site-local) address",
            "64:ff9b:1::/48 local NAT64 address",
            "2001::/32 Teredo tunnel address");

    private static final GitHostPolicy ALWAYS_REFUSED_ONLY = new GitHostPolicy(Set.of(), List.of(), true);

    private final Set<String> allowedNames;
    private final List<Cidr> allowedRanges;
    /** Loopback and private hosts admitted without an allow list (the worker's view: the controller decided). */
    private final boolean admitLocal;

    private GitHostPolicy(Set<String> allowedNames, List<Cidr> allowedRanges, boolean admitLocal) {
        this.allowedNames = allowedNames;
        this.allowedRanges = allowedRanges;
        this.admitLocal = admitLocal;
    }

    /**
     * Refuses only what is always refused (link-local, cloud metadata, multicast, "this host"): the
     * worker's second look at an order whose loopback or private host the controller's allow list admitted.
     */
    public static GitHostPolicy alwaysRefusedOnly() {
        return ALWAYS_REFUSED_ONLY;
    }

    /** What the policy decided about one host, and why when it refused. */
    public record Verdict(boolean allowed, String reason) {
    }

    /**
     * The policy for an allow list of comma-separated host names and CIDRs (a bare address means
     * that one address); blank means nothing is allowed beyond public hosts.
     *
     * @throws IllegalArgumentException naming the entry that is neither
     */
    public static GitHostPolicy allowing(String allowList) {
        Set<String> names = new java.util.HashSet<>();
        List<Cidr> ranges = new ArrayList<>();
        for (String raw : allowList == null ? new String[0] : allowList.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            try {
                Cidr range = Cidr.parse(entry, "allowed");
                if (range != null) {
                    ranges.add(range);
                } else if (entry.matches("[A-Za-z0-9.-]+") && !entry.contains("/")) {
                    names.add(normalizeName(entry));
                } else {
                    throw new IllegalArgumentException("is neither a host name nor a CIDR");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("allowed git host '" + entry + "' " + e.getMessage()
                        + " (expected host names and CIDRs such as 127.0.0.1/32,git.internal)");
            }
        }
        return new GitHostPolicy(Set.copyOf(names), List.copyOf(ranges), false);
    }

    /**
     * Refuses a repository URL whose host the policy refuses, or a file URL that names a host.
     *
     * @throws InvalidMessageException naming {@code field}
     */
    public void checkUrl(String url, String field) {
        String host = hostOf(url, field);
        if (host == null) {
            return;
        }
        Verdict v = judge(host);
        if (!v.allowed()) {
            throw new InvalidMessageException(field, v.reason());
        }
    }

    /** The host a repository URL points at as written (brackets kept), or null for a local file URL. */
    public static String hostOf(String url, String field) {
        Matcher scp = SCP_HOST.matcher(url);
        if (scp.matches() && !url.contains("://")) {
            return scp.group(1);
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException(field, "'" + url + "' is not a valid URL");
        }
        String authority = uri.getRawAuthority();
        if ("file".equalsIgnoreCase(uri.getScheme())) {
            if (authority != null && !authority.isEmpty()) {
                throw new InvalidMessageException(field,
                        "a file URL names a path on the worker and no host: file:///path/to/repo.git");
            }
            return null;
        }
        if (authority == null) {
            return null;
        }
        String host = authority.substring(authority.lastIndexOf('@') + 1);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int port = host.lastIndexOf(':');
        return port < 0 ? host : host.substring(0, port);
    }

    /** Judges one host (a name or an address in any spelling); no name is resolved. */
    public Verdict judge(String host) {
        if (host.contains("%") && !host.startsWith("[")) {
            return refused(host, "is percent-encoded; write the host plainly");
        }
        String ascii;
        try {
            ascii = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return refused(host, "is not a valid host name");
        }
        byte[] address;
        try {
            address = IpLiterals.parse(ascii);
        } catch (IllegalArgumentException e) {
            return refused(host, e.getMessage().replace("'" + ascii + "' ", ""));
        }
        return address == null ? judgeName(host, normalizeName(ascii)) : judgeAddress(host, address);
    }

    private Verdict judgeName(String host, String name) {
        if (METADATA_NAMES.contains(name)) {
            return refused(host, "is a cloud metadata service; it is always refused");
        }
        boolean loopback = LOOPBACK_NAMES.contains(name) || name.endsWith(".localhost");
        if (loopback && !admitLocal && !allowedNames.contains(name)) {
            return refused(host, "is the loopback host; " + howToAllow(name));
        }
        return new Verdict(true, null);
    }

    private Verdict judgeAddress(String host, byte[] raw) {
        byte[] address = Cidr.embeddedIpv4(raw);
        for (Cidr c : ALWAYS_REFUSED) {
            if (c.contains(address)) {
                return refused(host, describe(host, address) + c.label() + "; it is always refused");
            }
        }
        for (Cidr c : admitLocal ? List.<Cidr>of() : NEEDS_ALLOWING) {
            if (c.contains(address) && allowedRanges.stream().noneMatch(a -> a.contains(address))) {
                return refused(host, describe(host, address) + c.label() + "; "
                        + howToAllow(Cidr.format(address) + (address.length == 4 ? "/32" : "/128")));
            }
        }
        return new Verdict(true, null);
    }

    /** "is a", or "is 169.254.169.254, a" when the host spelled the address differently. */
    private static String describe(String host, byte[] address) {
        String plain = Cidr.format(address);
        return plain.equals(host) ? "is a " : "is " + plain + ", a ";
    }

    private static String howToAllow(String entry) {
        return "refused unless AGENTVINE_ALLOWED_GIT_HOSTS admits it (e.g. " + entry + ")";
    }

    private static Verdict refused(String host, String why) {
        return new Verdict(false, "host " + host + " " + why);
    }

    private static String normalizeName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
