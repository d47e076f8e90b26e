package dev.dnsdig.adapters.dns;

import dev.dnsdig.domain.dns.IpAddresses;
import dev.dnsdig.domain.dns.RecordData;
import dev.dnsdig.domain.dns.ResourceRecord;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CAARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NAPTRRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.SVCBBase;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** Turns dnsjava records into domain records: presentation text from dnsjava, typed fields per type. */
final class RecordMapper {
    // RFC 9460 section 14.3.2; unknown keys are written keyNNNNN as the RFC's presentation format says
    private static final String[] SVC_PARAM_KEYS =
            {"mandatory", "alpn", "no-default-alpn", "port", "ipv4hint", "ech", "ipv6hint", "dohpath", "ohttp"};

    private RecordMapper() {
    }

    static List<ResourceRecord> map(List<Record> records) {
        List<ResourceRecord> mapped = new ArrayList<>(records.size());
        for (Record record : records) {
            mapped.add(map(record));
        }
        return mapped;
    }

    static ResourceRecord map(Record record) {
        return new ResourceRecord(record.getName().toString(), Type.string(record.getType()), record.getTTL(),
                record.rdataToString(), typed(record));
    }

    static RecordData typed(Record record) {
        return switch (record) {
            case ARecord a -> new RecordData.A(a.getAddress().getHostAddress());
            // from the raw 16 bytes: getAddress() turns IPv4-mapped addresses into 4-byte IPv4 ones
            case AAAARecord aaaa -> new RecordData.Aaaa(IpAddresses.canonical(aaaa.rdataToWireCanonical()));
            case CNAMERecord cname -> new RecordData.Cname(cname.getTarget().toString());
            case NSRecord ns -> new RecordData.Ns(ns.getTarget().toString());
            case PTRRecord ptr -> new RecordData.Ptr(ptr.getTarget().toString());
            case MXRecord mx -> new RecordData.Mx(mx.getPriority(), mx.getTarget().toString());
            case TXTRecord txt -> RecordData.Txt.of(txt.getStrings());
            case SOARecord soa -> new RecordData.Soa(soa.getHost().toString(),
                    RecordData.Soa.emailOf(soa.getAdmin().toString()), soa.getSerial(), soa.getRefresh(),
                    soa.getRetry(), soa.getExpire(), soa.getMinimum());
            case SRVRecord srv -> new RecordData.Srv(srv.getPriority(), srv.getWeight(), srv.getPort(),
                    srv.getTarget().toString());
            case CAARecord caa -> new RecordData.Caa(caa.getFlags(), caa.getTag(), caa.getValue());
            case NAPTRRecord naptr -> new RecordData.Naptr(naptr.getOrder(), naptr.getPreference(), naptr.getFlags(),
                    naptr.getService(), naptr.getRegexp(), naptr.getReplacement().toString());
            case DSRecord ds -> new RecordData.Ds(ds.getFootprint(), ds.getAlgorithm(), ds.getDigestID(),
                    HexFormat.of().formatHex(ds.getDigest()));
            case DNSKEYRecord key -> new RecordData.Dnskey(key.getFlags(), key.getProtocol(), key.getAlgorithm(),
                    Base64.getEncoder().encodeToString(key.getKey()), key.getFootprint());
            case TLSARecord tlsa -> new RecordData.Tlsa(tlsa.getCertificateUsage(), tlsa.getSelector(),
                    tlsa.getMatchingType(), HexFormat.of().formatHex(tlsa.getCertificateAssociationData()));
            case SVCBBase svcb -> serviceBinding(svcb);
            default -> new RecordData.Other(record.rdataToString());
        };
    }

    private static RecordData.ServiceBinding serviceBinding(SVCBBase svcb) {
        List<RecordData.ServiceBinding.Param> params = new ArrayList<>();
        for (int key : svcb.getSvcParamKeys()) {
            String name = key < SVC_PARAM_KEYS.length ? SVC_PARAM_KEYS[key] : "key" + key;
            String value = svcb.getSvcParamValue(key).toString();
            params.add(new RecordData.ServiceBinding.Param(name, value));
        }
        return new RecordData.ServiceBinding(svcb.getSvcPriority(), svcb.getTargetName().toString(), params);
    }
}
