package io.agentvine.worker.runtime;

import io.agentvine.model.GitHostPolicy;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.WorkOrder;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * The worker's second look at a claimed order before anything connects. The contract's own checks ran
 * when the queue read the order (an order they refuse is dead-lettered at its claim and never reaches
 * a run); what the controller cannot know is where a host name points from the worker. A repository
 * host that is, or resolves to, an address that is always refused (link-local, cloud metadata,
 * multicast, "this host") ends the run at once as {@code invalid_payload}, dead-lettered with the
 * reason. Loopback and private hosts are the controller's allow list's business
 * ({@code AGENTVINE_ALLOWED_GIT_HOSTS}). A name that does not resolve is left to the clone to report.
 * (The clone resolves the name again: a DNS answer that changes in between is not caught here.)
 */
final class OrderCheck {
    private static final GitHostPolicy POLICY = GitHostPolicy.alwaysRefusedOnly();

    private OrderCheck() {
    }

    /** Why the order cannot be run, naming the field; empty when it can. */
    static Optional<String> problem(WorkOrder order) {
        String host;
        try {
            host = GitHostPolicy.hostOf(order.repositoryUrl(), "repository_url");
        } catch (InvalidMessageException e) {
            return Optional.of(e.getMessage());
        }
        if (host == null) {
            return Optional.empty(); // a file URL
        }
        GitHostPolicy.Verdict v = POLICY.judge(host);
        if (!v.allowed()) {
            return Optional.of("repository_url: " + v.reason());
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                String address = a instanceof Inet6Address ? "[" + a.getHostAddress().replaceAll("%.*", "") + "]"
                        : a.getHostAddress();
                GitHostPolicy.Verdict r = POLICY.judge(address);
                if (!r.allowed()) {
                    return Optional.of("repository_url: " + host + " resolves to " + a.getHostAddress() + ": " + r.reason());
                }
            }
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
