package dev.dnsdig.application.contract.identity;

import dev.dnsdig.domain.user.UserId;

/**
 * Makes tokens for one identity provider under test, each speaking for {@code subject} (an existing user; for an
 * external provider, the forge names the user's identity there, see
 * {@link IdentityProviderContract.AdapterUnderTest#subjects()}) and otherwise valid, broken in exactly the one way
 * its name says, so a rejection can only be for that reason.
 * A forge knows the adapter's own signing key where a case needs it (tampered payload) and uses a key of its
 * own where a case needs a foreign one.
 */
public interface TokenForge {

    /** A token made the forge's way with nothing wrong: proves the forge can mint tokens the provider accepts. */
    String valid(UserId subject);

    /** {@code exp} well in the past (minutes beyond any clock skew). */
    String expired(UserId subject);

    /** {@code nbf} well in the future. */
    String notYetValid(UserId subject);

    /** Properly signed, but without an {@code exp} claim. */
    String withoutExpiry(UserId subject);

    /** Properly signed by a key of its own, but {@code iss} names another issuer. */
    String wrongIssuer(UserId subject);

    /** Properly signed, our issuer, but {@code aud} names another audience. */
    String wrongAudience(UserId subject);

    /** {@code alg: none} with an empty signature. */
    String algNone(UserId subject);

    /** HS256, with the provider's public key bytes as the HMAC secret (the key-confusion attack). */
    String hs256SignedWithThePublicKey(UserId subject);

    /** Properly signed, then the payload changed (e.g. to grant more permissions) keeping the signature. */
    String tamperedPayload(UserId subject);

    /** Signed with a foreign key under a key id the provider does not know. */
    String unknownKid(UserId subject);

    /** The provider's real key id, but signed with a foreign key. */
    String knownKidWithForeignKey(UserId subject);
}
