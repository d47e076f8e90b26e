package dev.dnsdig.domain.dns;

import java.util.Arrays;

/** The response code (RCODE) of a DNS answer, RFC 1035 and RFC 6895. */
public enum DnsStatus {
    NOERROR(0), FORMERR(1), SERVFAIL(2), NXDOMAIN(3), NOTIMP(4), REFUSED(5), YXDOMAIN(6), YXRRSET(7),
    NXRRSET(8), NOTAUTH(9), NOTZONE(10), DSOTYPENI(11), BADVERS(16), BADKEY(17), BADTIME(18), BADMODE(19),
    BADNAME(20), BADALG(21), BADTRUNC(22), BADCOOKIE(23), UNASSIGNED(-1);

    private final int code;

    DnsStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static DnsStatus ofCode(int code) {
        return Arrays.stream(values()).filter(s -> s.code == code).findFirst().orElse(UNASSIGNED);
    }
}
