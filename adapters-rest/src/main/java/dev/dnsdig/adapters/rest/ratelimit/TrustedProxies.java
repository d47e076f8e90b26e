package dev.dnsdig.adapters.rest.ratelimit;

import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.dns.IpAddresses;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The address blocks of the reverse proxies in front of the API, and who the client of a request is: the peer that
 * connected, or, when that peer is a trusted proxy, the nearest address in {@code X-Forwarded-For} that is not one.
 * Anybody can send {@code X-Forwarded-For}, so it counts only as far as trusted proxies vouch for it.
 */
public final class TrustedProxies {
    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /** No proxy is trusted: the client is always the peer. */
    public static TrustedProxies none() {
        return new TrustedProxies(List.of());
    }

    /** {@code 10.0.0.1, 192.168.0.0/16, 2001:db8::/32}: addresses and CIDR blocks, comma-separated; empty for none. */
    public static TrustedProxies parse(String text) {
        List<Block> blocks = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                blocks.add(Block.parse(part.strip()));
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new TrustedProxies(blocks);
    }

    /**
     * The client of a request as a rate-limit counter key: its address, an IPv6 one by its /64 (the block one
     * subscriber usually gets to pick from). {@code peer} is the connected peer's address literal.
     */
    public String counterKey(String peer, List<String> forwardedFor) {
        Optional<byte[]> address = Optional.ofNullable(peer).flatMap(TrustedProxies::address);
        if (address.isEmpty()) {
            return "peer " + peer; // not seen on TCP; such requests still share one counter rather than none
        }
        byte[] client = client(address.get(), forwardedFor);
        if (client.length == 16) {
            Arrays.fill(client, 8, 16, (byte) 0);
            return IpAddresses.canonical(client) + "/64";
        }
        return IpAddresses.canonical(client);
    }

    /**
     * The client's address, as bytes: {@code peer} unless it is trusted, then the {@code X-Forwarded-For} entries
     * from the right (the hop nearest to us) until one is not trusted. An entry that is no address ends the walk at
     * the proxy that passed it on, as nothing it says can be checked.
     */
    byte[] client(byte[] peer, List<String> forwardedFor) {
        byte[] client = peer;
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            hops.addAll(List.of(header.split(",")));
        }
        for (int i = hops.size() - 1; i >= 0 && trusts(client); i--) {
            Optional<byte[]> hop = address(hops.get(i));
            if (hop.isEmpty()) {
                break;
            }
            client = hop.get();
        }
        return client;
    }

    // by value: configurations are compared (the defaults against .env.example, say)
    @Override
    public boolean equals(Object other) {
        return other instanceof TrustedProxies proxies && blocks.equals(proxies.blocks);
    }

    @Override
    public int hashCode() {
        return blocks.hashCode();
    }

    @Override
    public String toString() {
        return blocks.toString();
    }

    private boolean trusts(byte[] address) {
        return blocks.stream().anyMatch(block -> block.contains(address));
    }

    /** An address literal as proxies write it: {@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code [2001:db8::1]:4711}, {@code 2001:db8::1}. */
    static Optional<byte[]> address(String text) {
        String literal = text.strip();
        if (literal.startsWith("[") && literal.indexOf(']') > 0) {
            literal = literal.substring(1, literal.indexOf(']'));
        } else if (literal.indexOf(':') > 0 && literal.indexOf(':') == literal.lastIndexOf(':')) {
            literal = literal.substring(0, literal.indexOf(':'));
        }
        int zone = literal.indexOf('%'); // fe80::1%eth0: the zone says nothing about who the client is
        try {
            return Optional.of(IpAddresses.parse(zone >= 0 ? literal.substring(0, zone) : literal));
        } catch (InvalidValueException e) {
            return Optional.empty();
        }
    }

    /** One address block: the first {@code prefix} bits of {@code network}. */
    private record Block(byte[] network, int prefix) {
        static Block parse(String text) {
            int slash = text.indexOf('/');
            byte[] network;
            try {
                network = IpAddresses.parse(slash < 0 ? text : text.substring(0, slash));
            } catch (InvalidValueException e) {
                throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
            }
            int bits = network.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                String length = text.substring(slash + 1);
                if (!length.matches("[0-9]{1,3}") || Integer.parseInt(length) > bits) {
                    throw new IllegalArgumentException("'" + text + "': the prefix length must be 0-" + bits);
                }
                prefix = Integer.parseInt(length);
            }
            return new Block(network, prefix);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Block block && prefix == block.prefix && Arrays.equals(network, block.network);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(network) + prefix;
        }

        @Override
        public String toString() {
            return IpAddresses.canonical(network) + "/" + prefix;
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
    }
}
