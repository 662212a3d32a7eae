import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/;

/**
 * Checks `X-Hub-Signature-256` (sha256 HMAC of the raw body) against every configured secret:
 * GitHub switches to a new secret at one moment, so the old and new one are both valid during
 * rotation (GITHUB-FACTS.md, Deliveries). The HMAC covers the bytes as they arrived, not their
 * decoding: a body that is not valid UTF-8 is still correctly signed (and then refused as malformed).
 * Every secret is tried and compared in constant time, so the timing says nothing about which matched.
 */
export function verifySignature(secrets: readonly string[], rawBody: Buffer, signature: string | undefined): boolean {
  const claimed = SIGNATURE.exec(signature ?? '')?.[1];
  if (claimed === undefined || rawBody.length === 0) return false;
  const expected = Buffer.from(claimed, 'hex');
  let matched = false;
  for (const secret of secrets) {
    const digest = createHmac('sha256', secret).update(rawBody).digest();
    if (timingSafeEqual(digest, expected)) matched = true;
  }
  return matched;
}
