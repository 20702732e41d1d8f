import { z } from 'zod';
import { errorCodes } from './errors.js';
import { wachtInvitationsRoute } from './invitations.js';
import type { BackendOperation, FrontendOperation } from './operation.js';
import { backendOperations, frontendOperations } from './operations/index.js';

type JsonSchema = Record<string, unknown>;

/** Routes served outside the two APIs, described by hand because they are not operations. */
export const systemRoutes = [
  { method: 'GET', path: '/healthz', summary: 'Liveness and database reachability', tag: 'System' },
  { method: 'GET', path: '/openapi.json', summary: 'This document', tag: 'System' },
  { method: 'GET', path: '/docs', summary: 'The API reference page', tag: 'System' },
  { method: 'GET', path: '/', summary: 'A start page that points a browser to the docs', tag: 'System' },
  { method: 'GET', path: '/.well-known/jwks.json', summary: 'Public keys that sign session JWTs (JWKS)', tag: 'System' },
  { method: 'GET', path: '/playground', summary: 'The widgets playground (HTML)', tag: 'System' },
  { method: 'GET', path: '/playground/*', summary: 'Pages of the playground, such as /playground/accept (HTML)', tag: 'System' },
  {
    method: 'POST',
    path: '/playground/api/v1/*',
    summary: "The frontend API through the SDK's connector, as the playground's widgets call it (same operations as /v1)",
    tag: 'System',
  },
  { method: 'GET', path: '/playground/assets/{name}', summary: 'The playground bundle (scripts, styles)', tag: 'System' },
  {
    method: 'GET',
    path: '/v1/auth/oauth/start',
    summary: 'Start a social sign-in from a plain link (`?providerId=…&redirectUrl=…`): redirects to the provider',
    tag: 'Social sign-in',
  },
  {
    method: 'GET',
    path: '/v1/auth/oauth/callback',
    summary: 'Where providers send the browser back: signs in, then redirects to the `redirectUrl` given at the start',
    tag: 'Social sign-in',
  },
  { method: 'GET', path: '/console', summary: 'The admin console (HTML); sign in with a secret key', tag: 'System' },
  { method: 'GET', path: '/console/*', summary: 'Pages of the admin console, such as /console/users (HTML)', tag: 'System' },
  { method: 'GET', path: '/console/assets/{name}', summary: 'The console bundle (scripts, styles)', tag: 'System' },
  {
    method: 'POST',
    path: '/console/session',
    summary: 'Exchange a secret key for a console session (HttpOnly cookie) and its CSRF proof',
    tag: 'System',
  },
  {
    method: 'GET',
    path: '/console/session',
    summary: 'The console session of this cookie: its CSRF proof and expiry (same origin only)',
    tag: 'System',
  },
  { method: 'DELETE', path: '/console/session', summary: 'Sign out of the console (needs the CSRF proof)', tag: 'System' },
] as const;

/** Converts zod schemas to JSON Schema 2020-12, hoisting named schemas into `components`. */
function schemaConverter() {
  const components: Record<string, JsonSchema> = {};
  const convert = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
    const raw = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' });
    // Named schemas land in `$defs`; OpenAPI wants them under `components.schemas`.
    const json = JSON.parse(JSON.stringify(raw).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;
    const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
    for (const [id, def] of Object.entries(defs)) components[id] ??= def;
    const { $defs: _defs, $schema: _schema, id, ...rest } = json;
    if (typeof id === 'string') {
      components[id] ??= rest;
      return { $ref: `#/components/schemas/${id}` };
    }
    return rest;
  };
  return { convert, components };
}

function pathParameters(op: BackendOperation, convert: (s: z.ZodType, io: 'input') => JsonSchema) {
  const out: JsonSchema[] = [];
  for (const [location, schema] of [
    ['path', op.params],
    ['query', op.query],
  ] as const) {
    if (!schema) continue;
    const json = convert(schema, 'input');
    const props = (json.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json.required ?? []) as string[]);
    for (const [name, prop] of Object.entries(props)) {
      const { description, ...propSchema } = prop;
      out.push({
        name,
        in: location,
        required: location === 'path' || required.has(name),
        schema: propSchema,
        ...(description ? { description } : {}),
      });
    }
  }
  return out;
}

const errorResponse = {
  description: 'An error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
};

function backendPathItem(op: BackendOperation, convert: ReturnType<typeof schemaConverter>['convert']) {
  return {
    operationId: op.name,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [op.tag],
    security: [{ secretKey: [] }],
    parameters: pathParameters(op, convert),
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: convert(op.body, 'input') } } } } : {}),
    responses: {
      '200': { description: 'Success', content: { 'application/json': { schema: convert(op.output, 'output') } } },
      default: errorResponse,
    },
  };
}

function frontendPathItem(op: FrontendOperation, convert: ReturnType<typeof schemaConverter>['convert']) {
  const security =
    op.auth === 'none'
      ? []
      : op.auth === 'user'
        ? [{ sessionCookie: [] }, { sessionBearer: [] }]
        : [{ sessionCookie: [] }, { sessionBearer: [] }, { orgToken: [] }];
  return {
    operationId: op.name,
    summary: op.summary,
    description:
      [op.description, op.permission ? `Requires \`${op.permission}\` in the organization.` : undefined].filter(Boolean).join('\n\n') ||
      undefined,
    tags: [op.tag],
    security,
    requestBody: { required: true, content: { 'application/json': { schema: convert(op.input, 'input') } } },
    responses: {
      '200': {
        description: 'Success, in the frontend envelope',
        content: {
          'application/json': {
            schema: {
              allOf: [{ $ref: '#/components/schemas/Envelope' }, { type: 'object', properties: { data: convert(op.output, 'output') } }],
            },
          },
        },
      },
      default: {
        description: 'An error, in the frontend envelope',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Envelope' } } },
      },
    },
  };
}

const sharedComponents: Record<string, JsonSchema> = {
  ApiError: {
    type: 'object',
    required: ['code', 'message'],
    properties: { code: { type: 'string', enum: errorCodes }, message: { type: 'string' }, details: {} },
  },
  ErrorResponse: {
    type: 'object',
    required: ['errors'],
    properties: { errors: { type: 'array', items: { $ref: '#/components/schemas/ApiError' } } },
  },
  Envelope: {
    type: 'object',
    required: ['status', 'message', 'data', 'session', 'errors'],
    properties: {
      status: { type: 'integer' },
      message: { type: 'string' },
      data: {},
      session: {
        oneOf: [
          { type: 'null' },
          {
            type: 'object',
            properties: {
              id: { type: 'string' },
              userId: { type: 'string' },
              activeOrganizationId: { type: ['string', 'null'] },
              activeWorkspaceId: { type: ['string', 'null'] },
            },
          },
        ],
      },
      errors: { oneOf: [{ type: 'null' }, { type: 'array', items: { $ref: '#/components/schemas/ApiError' } }] },
    },
  },
};

/** Build the OpenAPI 3.1 document of both APIs from the operation table. */
export function buildOpenApiDocument(options: { serverUrl?: string; version?: string } = {}) {
  const { convert, components } = schemaConverter();
  const paths: Record<string, Record<string, unknown>> = {};
  const add = (path: string, method: string, item: unknown) => {
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[method.toLowerCase()] = item;
  };
  for (const op of backendOperations) add(`/backend/v1${op.path}`, op.method, backendPathItem(op, convert));
  for (const op of frontendOperations) add(`/v1/${op.name}`, 'POST', frontendPathItem(op, convert));
  for (const route of systemRoutes)
    add(route.path, route.method, {
      // GET keeps the bare path; other methods on the same path (the console session) lead with theirs.
      operationId: `system.${route.method === 'GET' ? '' : route.method.toLowerCase()}${route.path.replace(/\*/g, 'any').replace(/\W+/g, '')}`,
      summary: route.summary,
      tags: [route.tag],
      responses: { '200': { description: 'Success' } },
    });
  add(wachtInvitationsRoute.path, wachtInvitationsRoute.method, {
    operationId: 'wacht.organizations.invitations.list',
    summary: wachtInvitationsRoute.summary,
    description: wachtInvitationsRoute.description,
    tags: [wachtInvitationsRoute.tag],
    parameters: [{ name: 'orgId', in: 'path', required: true, schema: { type: 'string' } }],
    responses: {
      default: {
        description: "The invitations, or an error, in this route's own envelope",
        content: { 'application/json': { schema: convert(wachtInvitationsRoute.output, 'output') } },
      },
    },
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Gatehouse API',
      version: options.version ?? '0.1.0',
      description: 'Backend API (`/backend/v1`, REST, secret key) and frontend API (`/v1`, RPC, end-user session or organization token).',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    paths,
    components: {
      schemas: { ...sharedComponents, ...components },
      securitySchemes: {
        secretKey: { type: 'http', scheme: 'bearer', description: 'An admin secret key, `sk_live_…` or `sk_test_…`' },
        sessionBearer: { type: 'http', scheme: 'bearer', description: 'A session token `ses_….<secret>`' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: '__session' },
        orgToken: { type: 'http', scheme: 'bearer', description: 'An organization API token `<key>:<secret>`' },
      },
    },
  };
}
