// Scenarios are the files in bench/scenarios/; a name selects every scenario equal to it or
// starting with it followed by '-' (`users` → users-get, users-create).
import { readdirSync } from 'node:fs';

const dir = new URL('../scenarios/', import.meta.url);

/** Every scenario name, in file order. */
export function scenarioNames() {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => f.slice(0, -3))
    .sort();
}

/**
 * The scenarios a list of names selects (all when the list is empty).
 * @param {string[]} selectors
 * @returns {Promise<import('./types.js').Scenario[]>}
 */
export async function loadScenarios(selectors) {
  const names = scenarioNames();
  const chosen = selectors.length === 0 ? names : names.filter((n) => selectors.some((s) => n === s || n.startsWith(`${s}-`)));
  const unknown = selectors.filter((s) => !names.some((n) => n === s || n.startsWith(`${s}-`)));
  if (unknown.length > 0) throw new Error(`No scenario named ${unknown.join(', ')}; there are: ${names.join(', ')}`);
  const modules = await Promise.all(chosen.map((n) => import(new URL(`${n}.js`, dir).href)));
  return modules.map((m) => m.default);
}
