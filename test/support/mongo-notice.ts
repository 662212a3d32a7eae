import { MONGODB_SKIP_REASON } from './mongo-server.js';

// Run by `npm test` before ava: the one line that says the MongoDB suites will be skipped, and how to run them.
if (MONGODB_SKIP_REASON !== null) console.log(MONGODB_SKIP_REASON);
