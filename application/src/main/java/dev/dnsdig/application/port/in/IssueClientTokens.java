package dev.dnsdig.application.port.in;

/** Use case: the OAuth 2 client credentials grant, an access token for a machine client acting for its owner. */
public interface IssueClientTokens {
    LogIn.SessionResult clientCredentials(String clientId, String clientSecret);
}
