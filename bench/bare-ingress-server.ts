import express from 'express';
import { verifySignature } from '../src/inbox/verify-signature.js';

// The baselines for bench/ingest.ts: an Express 5 app that only verifies the signature and
// answers, storing nothing; with BARE_VALIDATES_JSON=1 it also refuses a body that is not JSON
// (400), as the ingress must. What our durable ingress costs is measured against these.

const secrets = (process.env.GITHUB_WEBHOOK_SECRET ?? '').split(',');
const validatesJson = process.env.BARE_VALIDATES_JSON === '1';
const app = express();
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
app.post('/webhooks/github', express.raw({ type: () => true, limit: '25mb' }), async (req, res) => {
  const raw = req.body as Buffer;
  if (!verifySignature(secrets, raw, req.get('x-hub-signature-256'))) {
    res.status(401).json({ error: { code: 'bad_signature', message: 'bad signature' } });
    return;
  }
  if (validatesJson) {
    try {
      JSON.parse(raw.toString('utf8'));
    } catch {
      res.status(400).json({ error: { code: 'malformed_body', message: 'the body is not valid JSON' } });
      return;
    }
  }
  res.status(202).json({ status: 'accepted', deliveryId: req.get('x-github-delivery') });
});
app.listen(Number(process.env.PORT), '127.0.0.1');
