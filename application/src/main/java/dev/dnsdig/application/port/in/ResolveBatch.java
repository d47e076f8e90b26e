package dev.dnsdig.application.port.in;

import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.dns.IpFamily;
import dev.dnsdig.domain.dns.Resolution;
import java.util.List;
import java.util.Objects;

/**
 * Use case: many questions in one request, each resolved at every provider, a few at a time and all within the one
 * deadline of a request; a question that is not valid is an answer of its own, not a failure of the others.
 */
public interface ResolveBatch {
    /** The most questions one batch may hold. */
    int MAX_QUESTIONS = 100;
    /** How many questions of one batch are asked at once: one request must not flood the upstreams. */
    int CONCURRENCY = 8;

    /** One result per question, in the order of the questions. */
    List<BatchResult> resolveBatch(BatchQuery batch);

    /** Command: the questions as the client wrote them (checked one by one) and the address family to ask over. */
    record BatchQuery(List<Question> questions, IpFamily family) {
        public BatchQuery {
            questions = List.copyOf(questions);
            Objects.requireNonNull(family, "family");
            if (questions.isEmpty() || questions.size() > MAX_QUESTIONS) {
                throw new InvalidValueException("queries", "a batch holds 1 to " + MAX_QUESTIONS + " queries, not "
                        + questions.size());
            }
        }
    }

    /** One question as written; a missing name or type is the empty text, which the rules refuse. */
    record Question(String name, String type) {
        public Question {
            name = name == null ? "" : name;
            type = type == null ? "" : type;
        }
    }

    /** What became of one question. */
    sealed interface BatchResult {
        Question question();

        /** It was asked: the resolution, whatever the providers said (or that none answered in time). */
        record Resolved(Question question, Resolution resolution) implements BatchResult {
            public Resolved {
                Objects.requireNonNull(question, "question");
                Objects.requireNonNull(resolution, "resolution");
            }
        }

        /** It was not asked: {@code field} ({@code name} or {@code type}) broke the rule {@code message} names. */
        record Rejected(Question question, String field, String message) implements BatchResult {
            public Rejected {
                Objects.requireNonNull(question, "question");
                Objects.requireNonNull(field, "field");
                Objects.requireNonNull(message, "message");
            }
        }
    }
}
