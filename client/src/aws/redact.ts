/**
 * Keeps secrets out of what the user sees and the output channel logs: the password (or token)
 * in an endpoint URL such as `http://user:pass@proxy:8080`, and the credentials of a connection
 * when an endpoint echoes them back in an error message ("The security token … is invalid").
 * Every message of the IAM layer passes through here (errors.ts), and the UI runs its own
 * free text through it too (the endpoint in the status bar, the question about workspace
 * settings).
 */

export const REDACTED = '***';

/**
 * The user-information part of a URL: `scheme://` then `user:password@` or `token@`. The host
 * cannot contain `@`, `/`, `?`, `#` or white space, so the match stops before it.
 */
const URL_USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s@/?#]+)@/gi;

/**
 * A run of base64 characters longer than any identifier IAM uses: AWS session tokens are
 * hundreds of such characters (`IQoJb3JpZ2luX2Vj…`, `FwoGZXIvYXdzE…`). The longest IAM names
 * (groups and policies, 128 characters) and ARNs stay well under 200 or have punctuation, so a
 * message that names them keeps the name.
 */
const TOKEN_LIKE = /[A-Za-z0-9+/]{200,}={0,2}/g;

/** `http://user:***@host` (the user name stays, it helps to recognise the setting), or `http://***@host` for a lone token. */
export function redactUrl(url: string): string {
  return url.replace(URL_USER_INFO, (_match, scheme: string, userInfo: string) => {
    const colon = userInfo.indexOf(':');
    return colon === -1 ? `${scheme}${REDACTED}@` : `${scheme}${userInfo.slice(0, colon)}:${REDACTED}@`;
  });
}

/**
 * `text` without passwords in URLs, without the given secrets (a connection's secret key and
 * session token), and without anything that looks like a session token.
 */
export function redactSecrets(text: string, secrets: Iterable<string> = []): string {
  let result = text;
  for (const secret of secrets) {
    // Short values would blank out ordinary words; real secrets are 40 characters and more.
    if (secret.length < 16) continue;
    // As sent, and as an endpoint may echo it inside a URL or a form (`+` and `/` escaped).
    for (const form of new Set([secret, encodeURIComponent(secret)])) result = result.split(form).join(REDACTED);
  }
  return redactUrl(result).replace(TOKEN_LIKE, REDACTED);
}
