package dev.dnsdig.adapters.rest.problem;

/** Thrown by resources to answer with a problem document; the mapper adds instance and request id. */
public final class ProblemException extends RuntimeException {
    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.getTitle(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
