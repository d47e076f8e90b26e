package dev.dnsdig.adapters.rest.resolve;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.dnsdig.adapters.rest.resolve.ResolutionJson.AnswerSet;
import dev.dnsdig.adapters.rest.resolve.ResolutionJson.Flags;
import dev.dnsdig.adapters.rest.resolve.ResolutionJson.ProviderBody;
import dev.dnsdig.adapters.rest.resolve.ResolutionJson.RecordBody;
import dev.dnsdig.adapters.rest.resolve.ResolutionJson.ResolutionBody;
import dev.dnsdig.adapters.rest.resolve.ResolutionJson.Summary;
import dev.dnsdig.adapters.rest.support.JsonConfig;
import dev.dnsdig.domain.dns.RecordData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes a {@link ResolutionBody} as JSON, byte for byte as {@link JsonConfig#MAPPER} writes it (the same field order,
 * nulls left out, numbers and escapes by the same generator), through Jackson's generator directly. Why: the answer
 * of every lookup is written here, and Jackson's object mapping (serializer lookups, property writers) was ~15 % of a
 * loaded server's CPU samples with three providers, for a shape that never changes. A record's typed {@code rdata}
 * is written here for the everyday types and by the mapper for the rare ones. {@code ResolutionWriterTest} holds it
 * to the mapper's bytes for every shape.
 */
final class ResolutionWriter {
    private static final SerializableString NAME = new SerializedString("name");
    private static final SerializableString UNICODE_NAME = new SerializedString("unicodeName");
    private static final SerializableString TYPE = new SerializedString("type");
    private static final SerializableString IP_VERSION = new SerializedString("ipVersion");
    private static final SerializableString ELAPSED_MS = new SerializedString("elapsedMs");
    private static final SerializableString SUMMARY = new SerializedString("summary");
    private static final SerializableString PROVIDERS = new SerializedString("providers");
    private static final SerializableString ANSWERED = new SerializedString("answered");
    private static final SerializableString FAILED = new SerializedString("failed");
    private static final SerializableString AGREE = new SerializedString("agree");
    private static final SerializableString ANSWER_SETS = new SerializedString("answerSets");
    private static final SerializableString STATUS = new SerializedString("status");
    private static final SerializableString RECORDS = new SerializedString("records");
    private static final SerializableString PROVIDER = new SerializedString("provider");
    private static final SerializableString OUTCOME = new SerializedString("outcome");
    private static final SerializableString FLAGS = new SerializedString("flags");
    private static final SerializableString SERVER = new SerializedString("server");
    private static final SerializableString TRANSPORT = new SerializedString("transport");
    private static final SerializableString CACHED = new SerializedString("cached");
    private static final SerializableString ANSWERS = new SerializedString("answers");
    private static final SerializableString AUTHORITY = new SerializedString("authority");
    private static final SerializableString FAILURE = new SerializedString("failure");
    private static final SerializableString ERROR = new SerializedString("error");
    private static final SerializableString SERVERS_TRIED = new SerializedString("serversTried");
    private static final SerializableString TTL = new SerializedString("ttl");
    private static final SerializableString DATA = new SerializedString("data");
    private static final SerializableString RDATA = new SerializedString("rdata");
    private static final SerializableString ADDRESS = new SerializedString("address");
    private static final SerializableString TARGET = new SerializedString("target");
    private static final SerializableString HOST = new SerializedString("host");
    private static final SerializableString PREFERENCE = new SerializedString("preference");
    private static final SerializableString EXCHANGE = new SerializedString("exchange");
    private static final SerializableString[] FLAG_NAMES = {new SerializedString("aa"), new SerializedString("tc"),
        new SerializedString("rd"), new SerializedString("ra"), new SerializedString("ad"), new SerializedString("cd")};

    private ResolutionWriter() {
    }

    static byte[] json(ResolutionBody body) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(1024);
        try (JsonGenerator json = JsonConfig.MAPPER.getFactory().createGenerator(bytes)) {
            resolution(json, body);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    private static void resolution(JsonGenerator json, ResolutionBody body) throws IOException {
        json.writeStartObject();
        string(json, NAME, body.name());
        string(json, UNICODE_NAME, body.unicodeName());
        string(json, TYPE, body.type());
        json.writeFieldName(IP_VERSION);
        json.writeNumber(body.ipVersion());
        json.writeFieldName(ELAPSED_MS);
        json.writeNumber(body.elapsedMs());
        if (body.summary() != null) {
            json.writeFieldName(SUMMARY);
            summary(json, body.summary());
        }
        if (body.providers() != null) {
            json.writeFieldName(PROVIDERS);
            json.writeStartArray();
            for (ProviderBody provider : body.providers()) {
                provider(json, provider);
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    private static void summary(JsonGenerator json, Summary summary) throws IOException {
        json.writeStartObject();
        json.writeFieldName(PROVIDERS);
        json.writeNumber(summary.providers());
        json.writeFieldName(ANSWERED);
        json.writeNumber(summary.answered());
        json.writeFieldName(FAILED);
        json.writeNumber(summary.failed());
        json.writeFieldName(AGREE);
        json.writeBoolean(summary.agree());
        if (summary.answerSets() != null) {
            json.writeFieldName(ANSWER_SETS);
            json.writeStartArray();
            for (AnswerSet set : summary.answerSets()) {
                json.writeStartObject();
                string(json, STATUS, set.status());
                strings(json, RECORDS, set.records());
                strings(json, PROVIDERS, set.providers());
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    private static void provider(JsonGenerator json, ProviderBody provider) throws IOException {
        json.writeStartObject();
        string(json, PROVIDER, provider.provider());
        string(json, OUTCOME, provider.outcome());
        string(json, STATUS, provider.status());
        if (provider.flags() != null) {
            Flags f = provider.flags();
            json.writeFieldName(FLAGS);
            json.writeStartObject();
            boolean[] values = {f.aa(), f.tc(), f.rd(), f.ra(), f.ad(), f.cd()};
            for (int i = 0; i < values.length; i++) {
                json.writeFieldName(FLAG_NAMES[i]);
                json.writeBoolean(values[i]);
            }
            json.writeEndObject();
        }
        string(json, SERVER, provider.server());
        string(json, TRANSPORT, provider.transport());
        if (provider.cached() != null) {
            json.writeFieldName(CACHED);
            json.writeBoolean(provider.cached());
        }
        json.writeFieldName(ELAPSED_MS);
        json.writeNumber(provider.elapsedMs());
        records(json, ANSWERS, provider.answers());
        records(json, AUTHORITY, provider.authority());
        string(json, FAILURE, provider.failure());
        string(json, ERROR, provider.error());
        strings(json, SERVERS_TRIED, provider.serversTried());
        json.writeEndObject();
    }

    private static void records(JsonGenerator json, SerializableString field, List<RecordBody> records)
            throws IOException {
        if (records == null) {
            return;
        }
        json.writeFieldName(field);
        json.writeStartArray();
        for (RecordBody record : records) {
            json.writeStartObject();
            string(json, NAME, record.name());
            string(json, TYPE, record.type());
            json.writeFieldName(TTL);
            json.writeNumber(record.ttl());
            string(json, DATA, record.data());
            if (record.rdata() != null) {
                json.writeFieldName(RDATA);
                rdata(json, record.rdata());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /**
     * The typed data: the everyday shapes here (the mapper's call per record was a third of this writer's time), the
     * rest by the mapper.
     */
    private static void rdata(JsonGenerator json, RecordData data) throws IOException {
        switch (data) {
            case RecordData.A a -> oneString(json, ADDRESS, a.address());
            case RecordData.Aaaa aaaa -> oneString(json, ADDRESS, aaaa.address());
            case RecordData.Cname cname -> oneString(json, TARGET, cname.target());
            case RecordData.Ptr ptr -> oneString(json, TARGET, ptr.target());
            case RecordData.Ns ns -> oneString(json, HOST, ns.host());
            case RecordData.Mx mx -> {
                json.writeStartObject();
                json.writeFieldName(PREFERENCE);
                json.writeNumber(mx.preference());
                string(json, EXCHANGE, mx.exchange());
                json.writeEndObject();
            }
            default -> JsonConfig.MAPPER.writeValue(json, data);
        }
    }

    private static void oneString(JsonGenerator json, SerializableString field, String value) throws IOException {
        json.writeStartObject();
        string(json, field, value);
        json.writeEndObject();
    }

    /** A string field; none when null, as the mapper leaves nulls out. */
    private static void string(JsonGenerator json, SerializableString field, String value) throws IOException {
        if (value != null) {
            json.writeFieldName(field);
            json.writeString(value);
        }
    }

    private static void strings(JsonGenerator json, SerializableString field, List<String> values) throws IOException {
        if (values == null) {
            return;
        }
        json.writeFieldName(field);
        json.writeStartArray();
        for (String value : values) {
            if (value == null) {
                json.writeNull(); // the mapper writes a null element of a list as null
            } else {
                json.writeString(value);
            }
        }
        json.writeEndArray();
    }
}
