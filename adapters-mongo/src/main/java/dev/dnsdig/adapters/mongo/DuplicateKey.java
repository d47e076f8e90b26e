package dev.dnsdig.adapters.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads which unique index a duplicate-key error (code 11000) hit, so adapters can turn it into a result. */
final class DuplicateKey {
    /**
     * mongod and mongo-java-server both word it "E11000 duplicate key error collection: db.c index: NAME dup key: {...}".
     * The name is taken before "dup key" so that a key value containing another index's name cannot mislead.
     */
    private static final Pattern INDEX = Pattern.compile("index: (\\S+) dup key");

    private DuplicateKey() {
    }

    /** The name of the index a duplicate-key error hit; empty for any other error or an unreadable message. */
    static Optional<String> index(MongoException e) {
        if (ErrorCategory.fromErrorCode(e.getCode()) != ErrorCategory.DUPLICATE_KEY) {
            return Optional.empty();
        }
        Matcher m = INDEX.matcher(String.valueOf(e.getMessage()));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static boolean isDuplicateKey(MongoException e) {
        return ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY;
    }
}
