import { openMongoStore } from '../src/store/mongo/mongo-store.js';
import { storeContract } from './store-contract.js';
import { storeEnv } from './support/mongo-server.js';

// The store contract against MongoDB through the official driver (MONGODB_URI, or the wire
// server from ../shared/tools started for this file). Each test gets a database of its own.

storeContract('mongodb', async (t) => {
  const env = await storeEnv(t, 'mongodb');
  const store = await openMongoStore({ uri: env.MONGODB_URI ?? '', database: env.MONGODB_DB ?? '' });
  t.teardown(() => store.close());
  return store;
});
