package dev.dnsdig.adapters.rest.support;

import jakarta.inject.Provider;
import java.util.Objects;

/**
 * A provider of an application-wide object that asks the injector only until it has one. Filters are made while the
 * application is configured, before the use cases may exist, so they hold a provider; asking HK2 on every request
 * cost about 1 % of a request's CPU.
 */
public final class Once<T> implements Provider<T> {
    private final Provider<T> provider;
    private volatile T value;

    public Once(Provider<T> provider) {
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    @Override
    public T get() {
        T known = value;
        if (known == null) {
            known = provider.get();
            value = known; // a race only asks twice for the same object
        }
        return known;
    }
}
