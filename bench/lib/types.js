// Shared JSDoc types of the benchmark. A scenario is one file in bench/scenarios/ whose default
// export is a Scenario; bench/run.js finds it by name, bench/floor.js registers its floor route.
export {};

/**
 * Run SQL in a server's own database (seeding); `$1`-style parameters.
 * @typedef {(text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>} SqlFn
 */

/**
 * One JSON request: the parsed body (or text), status and headers.
 * @typedef {{ status: number, headers: Headers, body: any }} JsonResponse
 */

/**
 * A running server a scenario talks to: Gatehouse, or the floor that mirrors its paths.
 * @typedef {object} Target
 * @property {'gatehouse' | 'floor'} role
 * @property {'pglite' | 'postgres'} engine
 * @property {string} url base URL on loopback
 * @property {Record<string, string>} backendHeaders `Authorization: Bearer <secret key>` (the floor accepts the same)
 * @property {SqlFn} sql run SQL in this server's database (bench-only route, loopback, needs the key)
 * @property {(method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<JsonResponse>} request
 */

/**
 * The database handle a floor route gets: the raw driver, no query builder.
 * @typedef {object} FloorDb
 * @property {'pglite' | 'postgres'} engine
 * @property {(name: string, text: string, params?: unknown[]) => Promise<Record<string, any>[]>} query
 *   a named (prepared, on PostgreSQL) statement
 */

/**
 * One autocannon request; `setupRequest` is called before each send and may rewrite it.
 * @typedef {object} LoadRequest
 * @property {string} [method]
 * @property {string} path
 * @property {Record<string, string>} [headers]
 * @property {string} [body]
 * @property {(req: LoadRequest) => LoadRequest} [setupRequest]
 */

/**
 * What autocannon sends, in turn.
 * @typedef {LoadRequest[]} LoadRequests
 */

/**
 * Options every scenario sees.
 * @typedef {object} RunOptions
 * @property {number} duration seconds of each measured autocannon run
 * @property {number} warmup seconds of the unmeasured run before it
 * @property {number} connections
 */

/**
 * The figures of one measured HTTP load.
 * @typedef {object} LoadFigures
 * @property {number} reqPerSec mean requests per second
 * @property {number} p50 latency in ms
 * @property {number} p99 latency in ms
 * @property {number} requests total answered
 * @property {number} non2xx
 * @property {number} errors connection errors and timeouts
 * @property {number} rssLoadedMb max VmRSS sampled during the run
 * @property {number} cpuUsPerRequest the server process's CPU time (user + system) per answer, in µs
 */

/**
 * @typedef {object} Scenario
 * @property {string} name e.g. `users-get`; `npm run bench -- users` runs every scenario starting with `users`
 * @property {string} title what is measured, e.g. `GET /backend/v1/users/{id}`
 * @property {'read' | 'write' | 'custom'} kind reads aim at >= 0.6x the floor, writes at >= 0.5x
 * @property {string} [floorSql] what the floor runs, for docs/performance.md
 * @property {(app: import('hono').Hono, db: FloorDb) => void} [floor] register the floor route(s), same paths as Gatehouse
 * @property {(target: Target, options: RunOptions) => Promise<unknown>} [prepare] seed; the result is passed to `requests`
 * @property {(target: Target, state: any) => LoadRequests} [requests] the load; absent for a custom scenario
 * @property {(gatehouse: Target, options: RunOptions) => Promise<Record<string, number | string>>} [run]
 *   a custom measurement (in-process loops, latency of a slow operation); no floor
 * @property {(gatehouse: Target) => Promise<string | undefined>} [unavailable] why it cannot run yet (feature missing)
 * @property {Array<'pglite' | 'postgres'>} [engines] default both
 * @property {boolean} [once] the figure does not depend on the engine (in-process work): run on the first engine only
 */
