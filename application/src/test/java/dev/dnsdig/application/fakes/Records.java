package dev.dnsdig.application.fakes;

import dev.dnsdig.domain.dns.RecordData;
import dev.dnsdig.domain.dns.ResourceRecord;
import java.util.List;
import java.util.stream.Collectors;

/** Builds {@link ResourceRecord}s for tests, with dnsjava's presentation text; names get a trailing dot if missing. */
public final class Records {
    private Records() {
    }

    public static ResourceRecord a(String name, long ttl, String address) {
        RecordData.A data = new RecordData.A(address);
        return new ResourceRecord(absolute(name), "A", ttl, data.address(), data);
    }

    public static ResourceRecord aaaa(String name, long ttl, String address) {
        RecordData.Aaaa data = new RecordData.Aaaa(address);
        return new ResourceRecord(absolute(name), "AAAA", ttl, data.address(), data);
    }

    public static ResourceRecord cname(String name, long ttl, String target) {
        RecordData.Cname data = new RecordData.Cname(absolute(target));
        return new ResourceRecord(absolute(name), "CNAME", ttl, data.target(), data);
    }

    public static ResourceRecord ns(String name, long ttl, String host) {
        RecordData.Ns data = new RecordData.Ns(absolute(host));
        return new ResourceRecord(absolute(name), "NS", ttl, data.host(), data);
    }

    public static ResourceRecord mx(String name, long ttl, int preference, String exchange) {
        RecordData.Mx data = new RecordData.Mx(preference, absolute(exchange));
        return new ResourceRecord(absolute(name), "MX", ttl, preference + " " + data.exchange(), data);
    }

    /** A TXT record of one or more character strings (presented quoted, as dnsjava does). */
    public static ResourceRecord txt(String name, long ttl, String... strings) {
        RecordData.Txt data = RecordData.Txt.of(List.of(strings));
        String presentation = data.strings().stream()
                .map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(" "));
        return new ResourceRecord(absolute(name), "TXT", ttl, presentation, data);
    }

    /** An SOA record with typical timers (serial 1, refresh 7200, retry 3600, expire 1209600, minimum 300). */
    public static ResourceRecord soa(String name, long ttl, String primaryNameServer, String mailboxName) {
        return soa(name, ttl, primaryNameServer, mailboxName, 1, 7200, 3600, 1209600, 300);
    }

    /** An SOA record; {@code mailboxName} in DNS form ({@code hostmaster.example.com.}). */
    public static ResourceRecord soa(String name, long ttl, String primaryNameServer, String mailboxName, long serial,
                                     long refresh, long retry, long expire, long minimum) {
        String primary = absolute(primaryNameServer);
        String mailbox = absolute(mailboxName);
        RecordData.Soa data = new RecordData.Soa(primary, RecordData.Soa.emailOf(mailbox), serial, refresh, retry,
                expire, minimum);
        return new ResourceRecord(absolute(name), "SOA", ttl,
                primary + " " + mailbox + " " + serial + " " + refresh + " " + retry + " " + expire + " " + minimum,
                data);
    }

    public static ResourceRecord caa(String name, long ttl, int flags, String tag, String value) {
        RecordData.Caa data = new RecordData.Caa(flags, tag, value);
        return new ResourceRecord(absolute(name), "CAA", ttl, flags + " " + tag + " \"" + value + "\"", data);
    }

    private static String absolute(String name) {
        return name.endsWith(".") ? name : name + ".";
    }
}
