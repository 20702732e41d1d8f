// A Target: how scenarios talk to a running server (Gatehouse or the floor), the same way for both.

/**
 * @param {'gatehouse' | 'floor'} role
 * @param {'pglite' | 'postgres'} engine
 * @param {string} url
 * @param {string} secretKey
 * @returns {import('./types.js').Target}
 */
export function makeTarget(role, engine, url, secretKey) {
  const backendHeaders = { authorization: `Bearer ${secretKey}` };
  /** @type {import('./types.js').Target['request']} */
  async function request(method, path, body, headers = {}) {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: res.status, headers: res.headers, body: parsed };
  }
  return {
    role,
    engine,
    url,
    backendHeaders,
    request,
    async sql(text, params = []) {
      const res = await request('POST', '/__bench/sql', { text, params }, backendHeaders);
      if (res.status !== 200) throw new Error(`${role} /__bench/sql answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body.rows;
    },
  };
}

/**
 * Throw with the answer when a seeding request did not succeed.
 * @param {import('./types.js').JsonResponse} res
 * @param {string} what
 */
export function expectOk(res, what) {
  if (res.status < 200 || res.status > 299) throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * Why a scenario cannot run yet: the route it needs is not served (Gatehouse answers
 * "No route for …"), or undefined when it is there.
 * @param {import('./types.js').Target} target
 * @param {Array<[string, string]>} routes method and path of each route needed
 */
export async function missingRoutes(target, routes) {
  const missing = [];
  for (const [method, path] of routes) {
    const res = await target.request(method, path, method === 'GET' ? undefined : {}, target.backendHeaders);
    if (res.status === 404 && JSON.stringify(res.body).includes('No route for')) missing.push(`${method} ${path}`);
  }
  return missing.length > 0 ? `not served yet: ${missing.join(', ')}` : undefined;
}
