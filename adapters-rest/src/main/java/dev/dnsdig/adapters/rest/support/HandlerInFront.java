package dev.dnsdig.adapters.rest.support;

import org.glassfish.grizzly.http.server.HttpHandler;

/**
 * A handler the server puts in front of the API's (see {@code RestApi.inFront}): it answers some requests itself and
 * hands the rest to {@link #api}, which it starts and stops with itself.
 */
public abstract class HandlerInFront extends HttpHandler {
    protected final HttpHandler api;

    protected HandlerInFront(HttpHandler api) {
        this.api = api;
    }

    @Override
    public void start() {
        api.start();
    }

    @Override
    public void destroy() {
        api.destroy();
    }
}
