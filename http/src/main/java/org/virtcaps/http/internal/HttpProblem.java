package org.virtcaps.http.internal;

/** A request the endpoint refuses: the status and a short reason for the client. */
final class HttpProblem extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    HttpProblem(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
