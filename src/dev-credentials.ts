import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditSigningConfig, Config, ParsedConfig } from './config.js';

// Development mode needs no setup: the API token and webhook secret it generates are kept in
// DATA_DIR so that a restart reuses them (a GitHub App pointed at this service keeps working).
// So is the key that signs audit checkpoints: beside the database, not in it, as in production.

interface DevCredentials {
  apiToken: string;
  webhookSecret: string;
}

export function devCredentialsPath(dataDir: string): string {
  return join(dataDir, 'dev-credentials.json');
}

export function readDevCredentials(path: string): DevCredentials | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<DevCredentials>;
  if (typeof parsed.apiToken !== 'string' || typeof parsed.webhookSecret !== 'string') {
    throw new Error(`${path} is not a development credentials file; delete it to generate new credentials`);
  }
  return { apiToken: parsed.apiToken, webhookSecret: parsed.webhookSecret };
}

export function devSigningKeyPath(dataDir: string): string {
  return join(dataDir, 'dev-audit-signing-key.pem');
}

/** The development audit signing key, kept in DATA_DIR (generated once) unless one is configured. */
function completeAuditSigning(parsed: ParsedConfig): AuditSigningConfig {
  if (parsed.auditSigning.privateKeyPem !== null) return parsed.auditSigning;
  const path = devSigningKeyPath(parsed.dataDir);
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    mkdirSync(parsed.dataDir, { recursive: true });
    writeFileSync(path, pem, { mode: 0o600 });
  }
  return { ...parsed.auditSigning, privateKeyPem: pem };
}

/** Fills what the environment left unset with kept (or newly generated) development credentials. */
export function completeDevelopmentConfig(parsed: ParsedConfig): { config: Config; generated: boolean } {
  const auditSigning = completeAuditSigning(parsed);
  if (parsed.apiToken !== null && parsed.webhookSecrets.length > 0) {
    return {
      config: { ...parsed, apiToken: parsed.apiToken, webhookSecrets: parsed.webhookSecrets, auditSigning },
      generated: false,
    };
  }
  const path = devCredentialsPath(parsed.dataDir);
  let kept = readDevCredentials(path);
  if (kept === null) {
    kept = { apiToken: randomBytes(24).toString('base64url'), webhookSecret: randomBytes(24).toString('base64url') };
    mkdirSync(parsed.dataDir, { recursive: true });
    writeFileSync(path, `${JSON.stringify(kept, null, 2)}\n`, { mode: 0o600 });
  }
  return {
    config: {
      ...parsed,
      auditSigning,
      apiToken: parsed.apiToken ?? kept.apiToken,
      webhookSecrets: parsed.webhookSecrets.length > 0 ? parsed.webhookSecrets : [kept.webhookSecret],
    },
    generated: true,
  };
}
