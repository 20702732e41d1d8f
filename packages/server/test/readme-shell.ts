import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TestGatehouse } from './harness.js';

export const run = promisify(execFile);
export const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The fenced blocks of one language between a heading of the README and the next one given (or the next `## `). */
export function readmeBlocks(language: 'sh' | 'js', from: string, to?: string): string {
  const text = readFileSync(`${root}README.md`, 'utf8');
  const start = text.indexOf(from);
  if (start < 0) throw new Error(`The README has no heading "${from}"`);
  const end = to ? text.indexOf(to, start) : text.indexOf('\n## ', start + from.length);
  const section = text.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]).join('\n');
}

/**
 * Run README shell text against a test server, in a directory of its own (files it writes land
 * there), with `GH_KEY` set to the server's secret key as a reader sets theirs. Returns stdout lines.
 */
export async function runReadmeShell(t: TestGatehouse, script: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-readme-'));
  symlinkSync(`${root}examples`, join(dir, 'examples'));
  try {
    const text = script.replaceAll('http://localhost:8787', t.url).replace('GH_KEY=sk_live_paste_yours_here', `GH_KEY=${t.secretKey}`);
    const env = { ...process.env, GATEHOUSE_ISSUER: t.url, GH_KEY: t.secretKey };
    const { stdout } = await run('bash', ['-c', `set -euo pipefail\n${text}`], { cwd: dir, env });
    return stdout.trim().split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each output line, parsed when it is JSON. */
export function parsedLines(lines: string[]): unknown[] {
  return lines.map((line) => (line.startsWith('{') ? JSON.parse(line) : line));
}
