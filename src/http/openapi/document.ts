import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { registerAuditPaths } from './audit.js';
import { registerBindingsPaths } from './bindings.js';
import { registerDeliveriesPaths } from './deliveries.js';
import { registerEndpointsPaths } from './endpoints.js';
import { registerEntityPaths } from './entities.js';
import { registerInvestigationPaths } from './investigation.js';
import { registerOverviewPaths } from './overview.js';
import { registerServicePaths } from './service.js';
import { registerSyncsPaths } from './syncs.js';
import { registerUsersPaths } from './users.js';
import { registerWakesPaths } from './wakes.js';

// The OpenAPI 3.1 document of the HTTP API, built from the schemas the routes validate with.
// Served at GET /api/openapi.json and committed as docs/openapi.json (npm run openapi).

/** Each area declares its paths; add an area's register function here. */
const AREAS: readonly ((registry: OpenAPIRegistry) => void)[] = [
  registerServicePaths,
  registerUsersPaths,
  registerBindingsPaths,
  registerSyncsPaths,
  registerDeliveriesPaths,
  registerInvestigationPaths,
  registerEntityPaths,
  registerWakesPaths,
  registerEndpointsPaths,
  registerAuditPaths,
  registerOverviewPaths,
];

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

let built: OpenApiDocument | null = null;

export function openApiDocument(): OpenApiDocument {
  if (built !== null) return built;
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'apiToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'API_TOKEN (development mode prints a generated one)',
  });
  for (const register of AREAS) register(registry);
  built = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'reconciler',
      version: '1',
      description:
        "Keeps a GitHub App platform's routing model true and explains every decision. Errors are `{ error: { code, message } }`; docs/api.md has routes, auth, errors and pagination.",
    },
    security: [{ apiToken: [] }],
  });
  return built;
}
