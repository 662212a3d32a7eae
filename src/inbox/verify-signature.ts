import { verify } from '@octokit/webhooks-methods';

/**
 * Checks `X-Hub-Signature-256` (sha256 HMAC of the raw body) against every configured secret:
 * GitHub switches to a new secret at one moment, so the old and new one are both valid during
 * rotation (GITHUB-FACTS.md, Deliveries). The comparison is constant-time inside @octokit.
 */
export async function verifySignature(
  secrets: readonly string[],
  rawBody: string,
  signature: string | undefined,
): Promise<boolean> {
  if (!signature || !signature.startsWith('sha256=') || rawBody.length === 0) return false;
  for (const secret of secrets) {
    if (await verify(secret, rawBody, signature)) return true;
  }
  return false;
}
