import { openApiDocument } from './document.js';

// The two committed files the contract yields (npm run openapi writes them, a test compares):
// docs/openapi.json, and the client's types generated from it by openapi-typescript. The
// generator is a development tool, loaded only when these are rendered.

export interface ContractFiles {
  'docs/openapi.json': string;
  'src/client/api-types.ts': string;
}

const TYPES_HEADER = `// Generated from docs/openapi.json by openapi-typescript (npm run openapi). Do not edit.\n\n`;

export async function renderContractFiles(): Promise<ContractFiles> {
  const document = openApiDocument();
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const ast = await openapiTS(JSON.parse(JSON.stringify(document)) as Parameters<typeof openapiTS>[0], {
    alphabetize: false,
  });
  return {
    'docs/openapi.json': `${JSON.stringify(document, null, 2)}\n`,
    'src/client/api-types.ts': `${TYPES_HEADER}${astToString(ast)}`,
  };
}
