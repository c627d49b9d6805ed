import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../problem/problem';

export const BEARER_SCHEME = 'bearer';

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri', example: 'https://registry.lanzhou.example/problems/validation' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      description: 'On 400: every failing field',
      items: {
        type: 'object',
        properties: {
          field: { type: 'string', example: 'body.households' },
          message: { type: 'string' },
          ruleId: { type: 'string', example: 'PERSONAL-DATA' },
        },
      },
    },
    ruleId: {
      type: 'string',
      description: 'On 422 rule violations: the rule of RULES.md; on 400: PERSONAL-DATA',
      example: 'EST-2',
    },
  },
};

const READ_PROBLEMS: Record<string, string> = {
  '400':
    'Invalid input: `errors` names every failing field. Text must be UTF-8 without lone surrogates or NUL; ' +
    '`ruleId` PERSONAL-DATA when a field holds a national identity number or a birth date',
  '401': 'Missing, invalid or expired bearer token',
  '403': 'Role or district scope does not allow this',
  '404': 'Not found',
  '414': 'A path parameter is too long (ids have 2 to 64 characters)',
  '431': 'Request headers too large',
};
const COMMAND_PROBLEMS: Record<string, string> = {
  ...READ_PROBLEMS,
  '409': 'Changed concurrently: read again and retry',
  '422': 'Refused by a registry rule (`ruleId`), or Idempotency-Key reused with another request',
};

export function buildOpenApiDocument(
  app: INestApplication,
  info: { readonly title: string; readonly description: string; readonly version?: string },
): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(info.title)
    .setDescription(info.description)
    .setVersion(info.version ?? '0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_SCHEME)
    .build();
  return withApiConventions(SwaggerModule.createDocument(app, config));
}

/**
 * Declares once, for every route under /api, what the guard and the filter do to all of them:
 * the bearer requirement and the problem answers. Done on the document so no controller can forget.
 */
export function withApiConventions(document: OpenAPIObject): OpenAPIObject {
  const components = (document.components ??= {});
  (components.schemas ??= {}).Problem = PROBLEM_SCHEMA;
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/api')) continue;
    for (const method of ['get', 'head', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (!operation) continue;
      operation.security ??= [{ [BEARER_SCHEME]: [] }];
      const problems = method === 'get' || method === 'head' ? READ_PROBLEMS : COMMAND_PROBLEMS;
      for (const [status, description] of Object.entries(problems)) {
        operation.responses[status] ??= {
          description,
          content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
        };
      }
    }
  }
  return document;
}
