import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { openApiDocument, type OpenApiDocument } from '../../src/http/openapi/document.js';

// Every answer the API tests read is checked against the OpenAPI document: its status must be one
// the document lists for that method and path, and a JSON body must fit that status's schema.
// The document is the source, so a route that answers what it does not declare fails its tests.

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const DOCUMENT_ID = 'https://reconciler.invalid/openapi.json';

interface Operation {
  template: string;
  pattern: RegExp;
  params: number;
}

export class ContractBreach extends Error {
  override name = 'ContractBreach';
}

export interface ResponseChecker {
  /** Throws ContractBreach when the answer is not one the document declares. */
  check(method: string, url: string, status: number, contentType: string | null, body: () => Promise<unknown>): Promise<void>;
}

const escapePointer = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');

export function responseChecker(document: OpenApiDocument = openApiDocument()): ResponseChecker {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: DOCUMENT_ID } as object);
  const compiled = new Map<string, ValidateFunction>();
  // A literal segment wins over a parameter (/api/audit/verify before /api/audit/{id}).
  const operations: Operation[] = Object.keys(document.paths ?? {})
    .map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
      params: (template.match(/\{/g) ?? []).length,
    }))
    .sort((a, b) => a.params - b.params);

  return {
    async check(method, url, status, contentType, body) {
      const path = new URL(url, 'http://x').pathname;
      const verb = method.toLowerCase();
      const operation = operations.find((o) => o.pattern.test(path));
      const item = operation && (document.paths?.[operation.template] as Record<string, unknown> | undefined);
      const declared = item?.[verb] as { responses?: Record<string, { content?: Record<string, unknown> }> } | undefined;
      if (operation === undefined || declared === undefined)
        throw new ContractBreach(`${method} ${path} is not in the OpenAPI document`);
      const response = declared.responses?.[String(status)];
      if (response === undefined)
        throw new ContractBreach(
          `${method} ${operation.template} answered ${status}, which the OpenAPI document does not list (${Object.keys(declared.responses ?? {}).join(', ')})`,
        );
      const json = response.content?.['application/json'];
      if (json === undefined) return;
      if (!(contentType ?? '').startsWith('application/json'))
        throw new ContractBreach(`${method} ${operation.template} ${status} answered ${contentType ?? 'no content type'}, not JSON`);
      const pointer = ['paths', operation.template, verb, 'responses', String(status), 'content', 'application/json', 'schema']
        .map(escapePointer)
        .join('/');
      let validate = compiled.get(pointer);
      if (validate === undefined) {
        validate = ajv.compile({ $ref: `${DOCUMENT_ID}#/${pointer}` });
        compiled.set(pointer, validate);
      }
      const value = await body();
      if (!validate(value))
        throw new ContractBreach(
          `${method} ${path} ${status}: the body does not fit the OpenAPI document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 500)}`,
        );
    },
  };
}

let shared: ResponseChecker | null = null;

/** Fetches like `fetch`, then checks the answer against the document (the API tests' one client). */
export async function checkedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, init);
  shared ??= responseChecker();
  await shared.check(init.method ?? 'GET', url, response.status, response.headers.get('content-type'), () =>
    response.clone().json(),
  );
  return response;
}
