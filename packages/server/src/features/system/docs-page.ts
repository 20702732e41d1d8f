type Schema = {
  $ref?: string;
  type?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  description?: string;
  enum?: unknown[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
};
type Document = ReturnType<typeof import('@gatehouse/contract').buildOpenApiDocument>;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function typeName(schema: Schema | undefined): string {
  if (!schema) return 'any';
  if (schema.$ref) return schema.$ref.split('/').pop() ?? 'object';
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (schema.type === 'array') return `${typeName(schema.items)}[]`;
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  // zod 4 writes a nullable field as `anyOf: [T, { type: 'null' }]` (and unions as anyOf/oneOf).
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return [...new Set(options.map(typeName))].join(' | ');
  return typeof schema.type === 'string' ? schema.type : 'object';
}

function fields(schema: Schema | undefined): string {
  const props = schema?.properties;
  if (!props || Object.keys(props).length === 0) return '';
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(props)
    .map(
      ([name, prop]) =>
        `<tr><td><code>${escapeHtml(name)}</code>${required.has(name) ? '' : '?'}</td><td><code>${escapeHtml(typeName(prop))}</code></td><td>${escapeHtml(prop.description ?? '')}</td></tr>`,
    )
    .join('');
  return `<table>${rows}</table>`;
}

/**
 * The readable API reference at `/docs`, rendered once at start from the OpenAPI document: no
 * CDN script, so it works offline and behind strict CSPs.
 */
export function renderDocsPage(doc: Document): string {
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(item as Record<string, Record<string, unknown>>)) {
      const op = raw as {
        operationId: string;
        summary: string;
        description?: string;
        tags: string[];
        parameters?: { name: string; in: string; schema: Schema; required: boolean; description?: string }[];
        requestBody?: { content: Record<string, { schema: Schema }> };
      };
      const tag = op.tags[0] ?? 'Other';
      const params = (op.parameters ?? [])
        .map(
          (p) =>
            `<li><code>${escapeHtml(p.name)}</code> (${p.in}${p.required ? ', required' : ''}) ${escapeHtml(p.description ?? '')}</li>`,
        )
        .join('');
      const body = op.requestBody?.content['application/json']?.schema;
      const html = `<section id="${escapeHtml(op.operationId)}"><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p><b>${escapeHtml(op.summary)}</b> <small><code>${escapeHtml(op.operationId)}</code></small></p>${op.description ? `<p>${escapeHtml(op.description)}</p>` : ''}
${params ? `<ul>${params}</ul>` : ''}${body ? `<h4>Body</h4>${fields(body)}` : ''}</section>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const nav = [...byTag.keys()].map((t) => `<a href="#tag-${escapeHtml(t)}">${escapeHtml(t)}</a>`).join(' · ');
  const sections = [...byTag.entries()].map(([t, ops]) => `<h2 id="tag-${escapeHtml(t)}">${escapeHtml(t)}</h2>${ops.join('')}`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Gatehouse API reference</title><style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1d2330}
h2{border-bottom:1px solid #dde;padding-top:1rem}section{border:1px solid #e4e6ee;border-radius:8px;padding:.25rem 1rem;margin:.75rem 0}
.m{font:600 12px monospace;padding:2px 6px;border-radius:4px;color:#fff;background:#667}.get{background:#2a7}.post{background:#27c}.patch{background:#c82}.delete{background:#c33}
table{border-collapse:collapse}td{border-top:1px solid #eee;padding:2px 8px;vertical-align:top}code{font-size:13px}
</style></head><body><h1>Gatehouse API</h1><p>${escapeHtml(doc.info.description)} The machine-readable document is <a href="/openapi.json">/openapi.json</a>.</p>
<p>${nav}</p>${sections}</body></html>`;
}
