package dev.dnsdig.adapters.auth.builtin;

import dev.dnsdig.application.contract.identity.IdentityProviderContract;
import dev.dnsdig.application.fakes.InMemorySigningKeyStore;

/** The built-in provider passes the identity-provider contract. */
class BuiltInIdentityProviderContractTest extends IdentityProviderContract {
    @Override
    protected AdapterUnderTest newAdapter() {
        InMemorySigningKeyStore store = new InMemorySigningKeyStore();
        BuiltInIdentityProvider provider = new BuiltInIdentityProvider(store, "http://127.0.0.1:8080");
        return new AdapterUnderTest(provider, provider,
                new BuiltInTokenForge(store, provider.issuer(), provider.audience()));
    }
}
