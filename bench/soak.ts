import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';
import { runSoak } from './soak-run.js';

// Load and crash test (issue 8, item 5): signed deliveries of mixed events against the real
// server, SIGKILLed and restarted while they arrive; then every delivery must be finished once
// and the routing model must equal the one the event streams predict.
// Usage: npm run bench:soak -- [--n 10000] [--concurrency 50] [--installations 100] [--kills 2] [--seed 1]
//        [--mongodb-uri mongodb://host:port]  (default: the embedded store; on MongoDB a database of its own, dropped after)

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '50' },
    installations: { type: 'string' },
    kills: { type: 'string', default: '2' },
    seed: { type: 'string', default: '1' },
    'mongodb-uri': { type: 'string' },
  },
});
const concurrency = Number(values.concurrency);
const mongodbUri = values['mongodb-uri'];
const mongodbDb = `reconciler_soak_${Date.now()}`;
const options = {
  deliveries: Number(values.n),
  concurrency,
  installations: Number(values.installations ?? 2 * concurrency),
  kills: Number(values.kills),
  seed: Number(values.seed),
  log: (line: string) => console.log(line),
  ...(mongodbUri !== undefined ? { storeEnv: { MONGODB_URI: mongodbUri, MONGODB_DB: mongodbDb } } : {}),
};
console.log(
  `soak on ${mongodbUri === undefined ? 'the embedded store' : `MongoDB (${mongodbDb})`}: ${options.deliveries} signed deliveries (installation, installation_repositories, repository, push, pull_request) in ${options.installations} ordered streams, concurrency ${concurrency}, ${options.kills} SIGKILLs, loopback`,
);
const result = await runSoak(options).finally(async () => {
  if (mongodbUri === undefined) return;
  const client = new MongoClient(mongodbUri);
  // A failed drop must not hide the soak's own result or error.
  await client
    .db(mongodbDb)
    .dropDatabase()
    .catch((error: unknown) => console.error(`could not drop ${mongodbDb}: ${String(error)}`));
  await client.close();
});
console.log(
  `  throughput      ${result.deliveriesPerSecond.toFixed(0)} deliveries/s acknowledged (${result.sendSeconds.toFixed(1)} s, restarts included)`,
);
console.log(`  ack latency     p50 ${result.ackP50Ms.toFixed(2)} ms, p99 ${result.ackP99Ms.toFixed(2)} ms`);
console.log(`  backlog drained ${result.drainMs.toFixed(0)} ms after the last acknowledgement`);
console.log(`  server peak RSS ${(result.peakRssBytes / 1024 / 1024).toFixed(0)} MB`);
console.log(
  `  kills ${result.kills}, resends ${result.resends} (${result.duplicates} already stored: acknowledged as duplicates)`,
);
if (result.ok) {
  console.log(
    'verdict: PASS — every delivery applied or ignored exactly once as modelled, none lost, none failed; state equals the model',
  );
} else {
  console.log(`verdict: FAIL — ${result.problems.length} problems (first 50):`);
  for (const problem of result.problems) console.log(`  ${problem}`);
  process.exitCode = 1;
}
